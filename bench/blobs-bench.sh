#!/usr/bin/env bash
# Blob detection: Detect's time and peak RSS, and scikit-image's blob_doh on the same heatmap (Debian python3-skimage,
# installed here if missing; benchmark only, never a runtime dependency).
#   bench/blobs-bench.sh [size=8000]
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-8000}
dpkg -s python3-skimage >/dev/null 2>&1 || { SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo; $SUDO apt-get update -qq;
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends python3-skimage >/dev/null; }
dotnet build bench/Detect.Bench.Analysis -c Release -nologo -v q >/dev/null
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
dotnet .build/bin/Detect.Bench.Analysis/Release/net10.0/Detect.Bench.Analysis.dll blobs "$size" "$tmp/heatmap"
/usr/bin/python3 bench/blob_doh_reference.py "$tmp/heatmap" "$size"
