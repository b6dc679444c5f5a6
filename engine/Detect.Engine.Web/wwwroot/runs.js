"use strict";
async function loadRuns() {
  try {
    const runs = await (await fetch("/api/runs")).json();
    const rows = runs.map(r => `<tr>
      <td class="task"><a href="/runs/${encodeURIComponent(r.id)}">${text(r.id)}</a></td>
      <td>${utc(r.started)}</td><td>${duration(r.seconds)}</td>
      <td><span class="badge ${text(r.state)}">${text(r.state)}</span></td>
      <td>${num(r.tasks)}</td><td>${num(r.counts.ran)}</td><td>${num(r.counts.failed)}</td><td>${num(r.counts.upstreamFailed)}</td>
      <td class="task">${text(r.rootTask)}</td><td>${text(r.host)}</td></tr>`);
    document.querySelector("#runs tbody").innerHTML = rows.length ? rows.join("") : `<tr><td colspan="10" class="muted">no runs recorded in this store yet</td></tr>`;
    $("updated").textContent = "updated " + new Date().toLocaleTimeString();
  } catch (e) { $("updated").textContent = "cannot reach the server: " + e; }
}
loadRuns();
setInterval(loadRuns, 5000);
