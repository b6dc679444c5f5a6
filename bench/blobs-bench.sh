#!/usr/bin/env bash
# Blob detection: Detect's time and peak RSS, then scikit-image's blob_doh on the same heatmap right after (Debian
# python3-skimage, installed here if missing; benchmark only, never a runtime dependency), and whether the two blob
# lists are the same.
#   bench/blobs-bench.sh [size=8000]
# blob_doh holds its whole float64 cube twice (~280 bytes per pixel: 18 GB at 8000²); it runs only when that much
# memory is available, under an address-space limit so that running short fails it, not other processes.
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-8000}
dpkg -s python3-skimage >/dev/null 2>&1 || { SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo; $SUDO apt-get update -qq;
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends python3-skimage >/dev/null; }
dotnet build bench/Detect.Bench.Analysis -c Release -nologo -v q >/dev/null
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
dotnet .build/bin/Detect.Bench.Analysis/Release/net10.0/Detect.Bench.Analysis.dll blobs "$size" "$tmp/heatmap"
need_mib=$((size * size * 280 / 1048576 + 512))
available_mib=$(awk '/MemAvailable/ {print int($2 / 1024)}' /proc/meminfo)
if [ "$available_mib" -lt "$need_mib" ]; then
  echo "skimage blob_doh ${size}² skipped: it needs about $need_mib MiB, $available_mib MiB available" >&2; exit 3
fi
prlimit --as=$(((need_mib + 4096) * 1048576)) /usr/bin/python3 bench/blob_doh_reference.py "$tmp/heatmap" "$size"
