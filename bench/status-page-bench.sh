#!/usr/bin/env bash
# Status page benchmark (issue 10): a finished 100,000-task run — API answer (from the store, then cached), page
# load to full render in headless Chromium — and a live 100,000-task run in another process: how far behind its
# last event the page is, and how long a redraw takes. Needs Debian's chromium + chromium-driver
# (scripts/setup.sh --test installs them). Usage: bench/status-page-bench.sh [TASKS] (default 100000)
# WORK_DIR (default /tmp/detect-page-bench) keeps the finished run between invocations.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.d/20-chromium.sh --test
dotnet build bench/Detect.Bench -c Release -nologo -v q >/dev/null
dotnet .build/bin/Detect.Bench/Release/net10.0/Detect.Bench.dll page "${WORK_DIR:-/tmp/detect-page-bench}" "${1:-100000}"
