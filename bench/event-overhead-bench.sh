#!/usr/bin/env bash
# Event overhead (issue 10): N trivial tasks cold (as bench/engine-bench.sh) with the run history written (the
# default: events, record, task outcomes into the store) and with --no-history, alternating, PAIRS times, each in a
# fresh process and store. Prints every run and the medians; the overhead is the median history run over the
# median run without. Usage: bench/event-overhead-bench.sh [TASKS] (default 10000); PAIRS (default 5).
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-10000}"; pairs="${PAIRS:-5}"
store="${STORE_DIR:-/tmp/detect-overhead-bench}/$(date +%s%N)"
dotnet build bench/Detect.Bench -c Release -nologo -v q >/dev/null
bench=.build/bin/Detect.Bench/Release/net10.0/Detect.Bench.dll
rows=$(mktemp)
for ((i = 1; i <= pairs; i++)); do
  for mode in history no-history; do
    extra=(); [ "$mode" = no-history ] && extra=(--no-history)
    line=$(dotnet "$bench" engine cold "$store/$mode-$i" "$n" --workers 1 "${extra[@]}" 2>/dev/null)
    echo "$mode $line" | tee -a "$rows"
  done
done
python3 - "$rows" <<'PY'
import sys, statistics
rows = {"history": [], "no-history": []}
for line in open(sys.argv[1]):
    mode, rest = line.split(" ", 1)
    cells = [c.strip() for c in rest.strip().strip("|").split("|")]
    rows[mode].append((float(cells[3].split()[0]), float(cells[5].split()[0])))
for what, k in (("wall", 0), ("CPU", 1)):
    a = statistics.median(r[k] for r in rows["history"]); b = statistics.median(r[k] for r in rows["no-history"])
    print(f"median {what}: with history {a:.2f} s, without {b:.2f} s, overhead {100 * (a / b - 1):+.1f} %")
PY
rm -rf "$store" "$rows"
