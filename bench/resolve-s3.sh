#!/usr/bin/env bash
# Resolution benchmark against the real S3 server (single-node Swift from scripts/s3-server.sh):
# an all-complete graph of 10,000 and 100,000 small tasks with s3:// targets; prints wall time, store calls
# and S3 HTTP requests. Usage: bench/resolve-s3.sh [TASKS...]   (default: 10000 100000)
# Settings: FOLDERS (output folders, default 100), DETECT_S3_DIR / DETECT_S3_PORT (see scripts/s3-server.sh),
# KEEP_SERVER=1 leaves the server (and its seeded objects) running for a second pass.
set -euo pipefail
cd "$(dirname "$0")/.."
folders="${FOLDERS:-100}"
sizes=("$@"); [ "${#sizes[@]}" -gt 0 ] || sizes=(10000 100000)
export DETECT_S3_DIR="${DETECT_S3_DIR:-/dev/shm/detect-bench-s3}"
scripts/s3-server.sh install
eval "$(DETECT_S3_BUCKETS=detect scripts/s3-server.sh start "$DETECT_S3_DIR")"
[ "${KEEP_SERVER:-0}" = 1 ] || trap 'scripts/s3-server.sh stop "$DETECT_S3_DIR"' EXIT
dotnet build bench/Detect.Bench -c Release -nologo -v q >/dev/null
echo "| store | tasks | folders | wall time | store calls | S3 requests |"
echo "|---|---:|---:|---:|---|---:|"
for n in "${sizes[@]}"; do
  dotnet .build/bin/Detect.Bench/Release/net10.0/Detect.Bench.dll resolve s3://detect/bench "$n" "$folders"
done
