#!/usr/bin/env bash
# Engine overhead benchmark (issue 13 item 5): N trivial tasks (one small output each, 10 layers of
# dependencies, 100 outputs per folder) through `run BenchGraph` on a local store, cold (empty store) and no-op
# (all complete), each in a fresh process. Prints a table: wall time of the run, tasks/s, CPU time (user +
# system), context switches per task, peak RSS. Load on the machine shows in wall time more than in CPU time.
# Usage: bench/engine-bench.sh [TASKS...]   (default: 10000 100000)
# Settings: STORE_DIR (default /tmp/detect-engine-bench; put it on a real disk, not tmpfs, to count fsync),
#           WORKERS (default 1), EXTRA (more run options, e.g. "--no-leases"), REPEAT (runs of each case, default 3:
#           on a shared machine take the best and the median; CPU time varies less than wall time).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@"); [ "${#sizes[@]}" -gt 0 ] || sizes=(10000 100000)
# Every cold run gets a fresh folder, and old ones are deleted only at the end: ext4 makes new files slowly for a
# few minutes after many deletions (its inode allocator skips recently deleted inodes), which would charge the
# benchmark's own clean-up to the engine.
store="${STORE_DIR:-/tmp/detect-engine-bench}/$(date +%s%N)"
# Published, as ./detect publishes the CLI: ReadyToRun code, the same runtime settings (see Detect.Bench.csproj).
dotnet publish bench/Detect.Bench -c Release -o .build/bench/Detect.Bench -nologo -v q >/dev/null
bench=.build/bench/Detect.Bench/Detect.Bench.dll
log=$(mktemp)
echo "| mode | tasks | options | wall time | tasks/s | CPU time | switches/task | allocated/task, gen0 GCs | peak RSS |"
echo "|---|---:|---|---:|---:|---:|---:|---:|---:|"
for n in "${sizes[@]}"; do
  for ((i = 1; i <= ${REPEAT:-3}; i++)); do
    # shellcheck disable=SC2086
    dotnet "$bench" engine cold "$store/$n-$i" "$n" --workers "${WORKERS:-1}" ${EXTRA:-} 2>"$log" || { tail -20 "$log"; exit 1; }
    # shellcheck disable=SC2086
    dotnet "$bench" engine noop "$store/$n-$i" "$n" --workers "${WORKERS:-1}" ${EXTRA:-} 2>"$log" || { tail -20 "$log"; exit 1; }
  done
done
echo "(run log of the last run: $(wc -l <"$log") lines on stderr; load average $(cut -d" " -f1-3 /proc/loadavg))"
rm -f "$log"
rm -rf "$store"
