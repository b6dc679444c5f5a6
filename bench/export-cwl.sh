#!/usr/bin/env bash
# CWL export benchmark: exports a graph of BENCH_GROUPS × BENCH_ITEMS items + BENCH_GROUPS groups + 1 root (default 100 × 99 + 101 =
# 10,001 tasks, the items planned ahead like Detect's tiles) for each job cap given, and times `cwltool --validate`
# (a runner's load of the workflow). Needs cwltool (scripts/setup.sh --test installs it).
# Usage: bench/export-cwl.sh [MAX_JOBS_PER_STEP ...]   (default: 100 200 400)
set -euo pipefail
cd "$(dirname "$0")/.."
caps=("$@"); [ "${#caps[@]}" -gt 0 ] || caps=(100 200 400)
work="${WORK:-$(mktemp -d)}"
dotnet build bench/Detect.Bench.Cwl -c Release -nologo -v q >/dev/null
dotnet .build/bin/Detect.Bench.Cwl/Release/net10.0/Detect.Bench.Cwl.dll "${BENCH_GROUPS:-100}" "${BENCH_ITEMS:-99}" "$work" "${caps[@]}"
[ -n "${WORK:-}" ] || rm -rf "$work"
