#!/usr/bin/env bash
# Fetches ONNX Runtime 1.29 (Microsoft's C# API sources + libonnxruntime.so, MIT) from the npm registry
# into .deps/onnxruntime/package. Idempotent: does nothing when the pinned version is already there.
# DETECT_ORT_GPU=1 also fetches the CUDA 13 execution provider package (~180 MB) into .deps/onnxruntime/gpu.
set -euo pipefail
cd "$(dirname "$0")/.."
ORT_NPM=com.github.asus4.onnxruntime
ORT_GPU_NPM=com.github.asus4.onnxruntime.linux-x64-gpu
ORT_VERSION=0.4.9
dest=.deps/onnxruntime

fetch() { # package version target-dir
  local pkg=$1 version=$2 target=$3
  if [ -f "$target/.version" ] && [ "$(cat "$target/.version")" = "$pkg@$version" ]; then return 0; fi
  command -v npm >/dev/null || { echo "npm is required to fetch $pkg (apt-get install npm)" >&2; exit 1; }
  local tmp; tmp=$(mktemp -d)
  echo "fetching $pkg@$version from npm ..." >&2
  (cd "$tmp" && npm pack --silent "$pkg@$version" >/dev/null)
  rm -rf "$target" && mkdir -p "$target"
  tar -xzf "$tmp"/*.tgz -C "$target" --strip-components=1
  rm -rf "$tmp"
  echo "$pkg@$version" > "$target/.version"
}

fetch "$ORT_NPM" "$ORT_VERSION" "$dest/package"
test -f "$dest/package/Plugins/Linux/x64/libonnxruntime.so" || { echo "libonnxruntime.so missing in $ORT_NPM@$ORT_VERSION" >&2; exit 1; }
if [ "${DETECT_ORT_GPU:-0}" = "1" ]; then
  fetch "$ORT_GPU_NPM" "$ORT_VERSION" "$dest/gpu"
fi
