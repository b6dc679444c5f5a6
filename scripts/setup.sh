#!/usr/bin/env bash
# Installs what Detect needs on a Debian machine, idempotently; a no-op in well under a second when done.
#   scripts/setup.sh --runtime   what `detect` needs: GDAL, GTK 3 (OpenCV), Python for model conversion, npm (gazetteer)
#   scripts/setup.sh --test      that plus what the tests need (a local S3-compatible server)
# ONNX Runtime comes from NuGet with the build (DETECT_ORT_GPU=1: its CUDA package; see Directory.Build.props).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:---runtime}
stamp=.deps/setup-$(echo "$mode" | tr -d -).stamp

# Re-run only when this script (or one it calls) changed since the last successful run.
if [ -f "$stamp" ] && [ -z "$(find scripts -newer "$stamp" -type f -print -quit)" ]; then exit 0; fi

SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
apt_packages=(gdal-bin python3 python3-numpy python3-h5py python3-onnx)
# npm builds the gazetteer; an image that copies a built one needs none.
command -v npm >/dev/null || [ -f .deps/gazetteer/.version ] || apt_packages+=(npm)
missing=()
for p in "${apt_packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
# OpenCV's native library (OpenCvSharp4.official.runtime.linux-x64) links GTK 3; asked for by its library, not the
# package name, which is libgtk-3-0t64 on Ubuntu 24.04 / Debian 13 (apt resolves libgtk-3-0 to it).
ls /usr/lib/*-linux-gnu/libgtk-3.so.0 >/dev/null 2>&1 || missing+=(libgtk-3-0)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing apt packages: ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v dotnet >/dev/null || { echo "the .NET 10 SDK is required (dotnet on PATH): https://dot.net" >&2; exit 1; }

for step in scripts/setup.d/*.sh; do [ -x "$step" ] && "$step" "$mode"; done

if [ "$mode" = "--test" ] && [ -x scripts/s3-server.sh ]; then scripts/s3-server.sh install; fi

mkdir -p .deps && touch "$stamp"
