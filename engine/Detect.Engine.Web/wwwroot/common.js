// Shared helpers of the status pages (no external scripts: everything is served by `detect serve`).
"use strict";
const $ = (id) => document.getElementById(id);
function text(s) { const d = document.createElement("div"); d.textContent = s == null ? "" : String(s); return d.innerHTML; }
function duration(seconds) {
  if (seconds == null) return "";
  seconds = Math.max(0, Math.round(seconds));
  const h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, "0")}m` : m > 0 ? `${m}m${String(s).padStart(2, "0")}s` : `${s}s`;
}
function utc(t) { return t ? new Date(t).toISOString().replace("T", " ").slice(0, 19) : ""; }
function num(n) { return (n || 0).toLocaleString("en-US"); }
const COLORS = { complete: "var(--ok)", done: "var(--ok)", elsewhere: "var(--else)", running: "var(--run)", waiting: "var(--wait)",
  pending: "var(--pend)", failed: "var(--fail)", upstreamFailed: "var(--up)", notRun: "var(--up)" };
