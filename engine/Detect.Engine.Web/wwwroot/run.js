"use strict";
const runId = decodeURIComponent(location.pathname.split("/").pop());
$("run-id").textContent = runId;
document.title = "Detect run " + runId;
const openLogs = new Set();
let lastView = null;

// Measurements the benchmark reads (bench/status-page-bench.sh): how long a redraw takes, and how far behind the
// run's last event the page is when it shows it.
window.__detectRenderMs = []; window.__detectLagMs = [];

function render(view) {
  const t0 = performance.now();
  draw(view);
  window.__detectRenderMs.push(performance.now() - t0);
  if (view.lastEvent && view.state === "running") window.__detectLagMs.push(Date.now() - Date.parse(view.lastEvent));
}

function draw(view) {
  lastView = view;
  $("state").textContent = view.state;
  $("state").className = "badge " + view.state;
  $("root").textContent = view.rootTask;
  $("meta").textContent = `started ${utc(view.started)} UTC by ${view.user}@${view.host} (pid ${view.pid}) · store ${view.store} · ${view.command.join(" ")}`;
  const p = view.progress;
  $("progress-fill").style.width = p.percent + "%";
  $("progress-fill").style.background = view.totals.failed ? "var(--fail)" : view.state === "running" ? "var(--run)" : "var(--ok)";
  $("progress-text").innerHTML = `<b id="progress-finished">${num(p.finished)}</b> of <b id="progress-total">${num(p.toRun)}</b> task(s) finished ` +
    `(<span id="progress-percent">${p.percent}</span>%) · ${duration(p.elapsedSeconds)}` +
    (p.etaSeconds != null && view.state === "running" ? ` · ETA <span id="eta">${duration(p.etaSeconds)}</span>` : "") +
    (view.state !== "running" ? ` · <span id="complete-text">${view.state === "succeeded" ? "complete" : "finished: " + view.state}</span>` : "");
  const t = view.totals;
  const shown = [["tasks", "tasks"], ["complete", "were complete"], ["done", "done"], ["elsewhere", "done elsewhere"], ["running", "running"],
    ["waiting", "waiting"], ["pending", "pending"], ["failed", "failed"], ["upstreamFailed", "upstream failed"], ["notRun", "not run"]];
  $("totals").innerHTML = shown.filter(([k]) => k === "tasks" || t[k]).map(([k, label]) =>
    `<span>${k === "tasks" ? "" : `<span class="dot" style="background:${COLORS[k]}"></span>`}<b id="count-${k}">${num(t[k])}</b> ${label}</span>`).join("");
  renderGraph($("graph"), view.families, view.edges);
  document.querySelector("#families tbody").innerHTML = view.families.map(f => `<tr><td>${text(f.family)}</td><td>${num(f.tasks)}</td>
    <td>${num(f.complete)}</td><td>${num(f.done)}</td><td>${num(f.running)}</td><td>${num(f.waiting)}</td><td>${num(f.pending)}</td>
    <td>${num(f.failed)}</td><td>${num(f.upstreamFailed)}</td><td>${num(f.elsewhere)}</td></tr>`).join("");
  $("failed-count").textContent = view.failedTotal ? `(${num(view.failedTotal)}${view.failedTotal > view.failed.length ? ", first " + view.failed.length + " shown" : ""})` : "";
  const failedList = $("failed-list");
  const known = new Set([...failedList.querySelectorAll(".failed-task")].map(e => e.dataset.task));
  if (view.failed.length === 0) failedList.innerHTML = `<p class="muted">none</p>`;
  else if (view.failed.some(f => !known.has(f.task)) || known.size !== view.failed.length)
    failedList.innerHTML = view.failed.map(f => `<div class="failed-task" data-task="${text(f.task)}">
      <div class="mono"><b>${text(f.task)}</b> <span class="muted">after ${f.attempts} attempt(s)</span></div>
      <div class="error">${text(f.error)}</div><pre class="log" hidden></pre></div>`).join("");
  for (const el of failedList.querySelectorAll(".failed-task")) {
    el.onclick = () => toggleLog(el);
    if (openLogs.has(el.dataset.task) && el.querySelector("pre").hidden) showLog(el);
  }
  $("running-count").textContent = view.runningTotal ? `(${num(view.runningTotal)})` : "";
  $("running-list").innerHTML = view.running.length ? `<table class="grid"><thead><tr><th>Task</th><th>State</th><th>Since (UTC)</th><th>Attempt</th><th>Progress</th></tr></thead><tbody>` +
    view.running.map(r => `<tr><td class="task">${text(r.task)}</td><td>${text(r.state)}</td><td>${utc(r.since)}</td><td>${r.attempt}</td>
      <td>${r.total ? `${num(r.done)}/${num(r.total)} ${text(r.unit)} (${Math.round(100 * r.done / r.total)}%)` : ""}</td></tr>`).join("") + "</tbody></table>"
    : `<p class="muted">none</p>`;
  $("live").textContent = view.state === "running" ? `live · last event ${utc(view.lastEvent)} UTC` : "";
}

async function showLog(el) {
  const pre = el.querySelector("pre");
  const log = await (await fetch(`/api/runs/${encodeURIComponent(runId)}/log?task=${encodeURIComponent(el.dataset.task)}`)).text();
  pre.textContent = log || "(the task logged nothing)";
  pre.hidden = false;
}
function toggleLog(el) {
  const pre = el.querySelector("pre");
  if (pre.hidden) { openLogs.add(el.dataset.task); showLog(el); } else { openLogs.delete(el.dataset.task); pre.hidden = true; }
}

async function load() {
  const response = await fetch(`/api/runs/${encodeURIComponent(runId)}`);
  if (!response.ok) { $("state").textContent = "not found"; $("root").textContent = await response.text(); return; }
  const view = await response.json();
  render(view);
  window.__detectRendered = performance.now();
  if (view.state === "running") follow();
}
function follow() {
  if (!window.EventSource) { setTimeout(() => load(), 2000); return; }
  const source = new EventSource(`/api/runs/${encodeURIComponent(runId)}/stream`);
  source.addEventListener("update", e => { render(JSON.parse(e.data)); window.__detectUpdates = (window.__detectUpdates || 0) + 1; });
  source.onerror = () => { source.close(); if (!lastView || lastView.state === "running") setTimeout(load, 2000); };
}
load();
