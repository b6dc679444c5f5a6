#!/usr/bin/env bash
# Work sharing across processes (issue 11 item 3): 200 tasks of 0.5 s, one worker per process, 1 vs 2 vs 4
# `run` processes on one store, on the local store and on the Swift S3 server (scripts/s3-server.sh). Prints wall
# time, speed-up, tasks run per process, and checks that each task ran once.
# Usage: bench/workshare-bench.sh [local|s3|both] (default both). TASKS, SLEEP_MS, PROCESSES ("1 2 4") override.
set -euo pipefail
cd "$(dirname "$0")/.."
which="${1:-both}"
tasks="${TASKS:-200}"; sleep_ms="${SLEEP_MS:-500}"; read -r -a processes <<<"${PROCESSES:-1 2 4}"
dotnet build bench/Detect.Bench -c Release -nologo -v q >/dev/null
bench=.build/bin/Detect.Bench/Release/net10.0/Detect.Bench.dll
if [ "$which" != s3 ]; then
  store="${STORE_DIR:-/tmp/detect-workshare-bench}"
  dotnet "$bench" workshare "$store" "$tasks" "$sleep_ms" "${processes[@]}"
  rm -rf "$store"
fi
if [ "$which" != local ]; then
  export DETECT_S3_DIR="${DETECT_S3_DIR:-/dev/shm/detect-workshare-s3}"
  scripts/s3-server.sh install
  eval "$(DETECT_S3_BUCKETS=detect scripts/s3-server.sh start "$DETECT_S3_DIR")"
  trap 'scripts/s3-server.sh stop "$DETECT_S3_DIR"' EXIT
  dotnet "$bench" workshare s3://detect/workshare "$tasks" "$sleep_ms" "${processes[@]}" | tail -n +3
fi
