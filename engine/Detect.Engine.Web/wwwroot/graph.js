// The run's graph aggregated by family: one box per family (with a bar of its tasks by state), arrows where
// tasks of one family are required by tasks of another. Layered left to right by longest path from the sources.
"use strict";
function renderGraph(container, families, edges) {
  const names = families.map(f => f.family);
  const index = new Map(names.map((n, i) => [n, i]));
  const outgoing = names.map(() => []), incoming = names.map(() => 0);
  const loops = new Set();
  for (const [from, to] of edges) {
    if (!index.has(from) || !index.has(to)) continue;
    if (from === to) { loops.add(from); continue; }
    outgoing[index.get(from)].push(index.get(to)); incoming[index.get(to)]++;
  }
  // Longest-path layers (Kahn's order); families in a cycle of several end up in the last layer reached.
  const layer = names.map(() => 0), pending = incoming.slice(), queue = [];
  names.forEach((_, i) => { if (pending[i] === 0) queue.push(i); });
  while (queue.length) {
    const i = queue.shift();
    for (const j of outgoing[i]) { layer[j] = Math.max(layer[j], layer[i] + 1); if (--pending[j] === 0) queue.push(j); }
  }
  const columns = [];
  names.forEach((n, i) => (columns[layer[i]] = columns[layer[i]] || []).push(i));
  const W = 190, H = 52, GX = 70, GY = 22;
  const pos = [];
  columns.forEach((col, c) => col.forEach((i, r) => (pos[i] = { x: 10 + c * (W + GX), y: 10 + r * (H + GY) })));
  const width = 20 + columns.length * (W + GX) - GX, height = 20 + Math.max(1, ...columns.map(c => c.length)) * (H + GY) - GY;
  const parts = [`<svg viewBox="0 0 ${width} ${height}" width="100%" style="max-width:${width}px" role="img" aria-label="graph by family">`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0L10,5L0,10z" fill="#8a949e"/></marker></defs>`];
  for (const [from, to] of edges) {
    if (from === to || !index.has(from) || !index.has(to)) continue;
    const a = pos[index.get(from)], b = pos[index.get(to)];
    const x1 = a.x + W, y1 = a.y + H / 2, x2 = b.x, y2 = b.y + H / 2, mx = (x1 + x2) / 2;
    parts.push(`<path d="M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2 - 2},${y2}" fill="none" stroke="#8a949e" stroke-width="1.3" marker-end="url(#arrow)"/>`);
  }
  families.forEach((f, i) => {
    const p = pos[i];
    const segments = [["complete", f.complete + f.done], ["elsewhere", f.elsewhere], ["running", f.running], ["waiting", f.waiting],
      ["pending", f.pending], ["failed", f.failed], ["upstreamFailed", f.upstreamFailed + f.notRun]];
    let x = p.x + 8;
    const barW = W - 16, total = Math.max(1, f.tasks);
    const bars = segments.map(([k, n]) => { const w = barW * n / total; const s = w > 0 ? `<rect x="${x}" y="${p.y + 34}" width="${w}" height="9" fill="${COLORS[k]}"/>` : ""; x += w; return s; }).join("");
    parts.push(`<g class="family" data-family="${text(f.family)}"><rect x="${p.x}" y="${p.y}" width="${W}" height="${H}" rx="7" fill="#fff" stroke="${f.failed ? "var(--fail)" : "#aab3bc"}"/>`,
      `<text x="${p.x + 8}" y="${p.y + 17}" font-weight="600">${text(f.family)}${loops.has(f.family) ? " ↻" : ""}</text>`,
      `<text x="${p.x + W - 8}" y="${p.y + 17}" text-anchor="end" fill="#66707a">${num(f.tasks)}</text>`,
      `<rect x="${p.x + 8}" y="${p.y + 34}" width="${barW}" height="9" fill="#eceff2"/>${bars}</g>`);
  });
  parts.push("</svg>");
  container.innerHTML = parts.join("");
}
