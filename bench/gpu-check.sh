#!/usr/bin/env bash
# The GPU check, for a machine with an NVIDIA GPU: builds with ONNX Runtime's CUDA package (DETECT_ORT_GPU=1 →
# Microsoft.ML.OnnxRuntime.Gpu.Linux 1.31.0), checks that the CUDA provider's libraries resolve, then runs the
# pixel-model benchmark on CUDA (and once on the CPU for comparison) and prints the device and pixels/s.
#   bench/gpu-check.sh [model.onnx]      (default: convert the pixel model from ../shared/models/keras)
#   bench/gpu-check.sh --bali [workDir]  then the region-scale run (bench/bali-bench.sh bali) with inference on CUDA:
#                                        the "Bali under 3 minutes on a GPU" goal (issue 13.6); the synthetic store is
#                                        seeded first (~5 GB, a few minutes on 16 cores; not counted in the run's wall)
# Needs: an NVIDIA driver for CUDA 13; the CUDA 13 runtime (libcudart, libcublas, libcublasLt .so.13, libcurand .so.10,
# libnvrtc .so.13) and cuDNN 9 on the library path; the .NET 10 SDK; NuGet (or the GPU package already in the NuGet
# cache: its CUDA provider is 284 MB). Takes about 2 minutes after the restore.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== GPU"; nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader \
  || { echo "nvidia-smi failed: no NVIDIA GPU or driver here" >&2; exit 1; }
export DETECT_ORT_GPU=1
echo "== build (GPU package)"
dotnet build -c Release bench/Detect.Bench.Models -nologo -v q >/tmp/gpu-check-build.log 2>&1 \
  || { grep -E "error" /tmp/gpu-check-build.log | sort -u >&2; echo "build failed (is NuGet reachable or the package cached?)" >&2; exit 1; }
out=.build/gpu/bin/Detect.Bench.Models/Release/net10.0
provider="$out/libonnxruntime_providers_cuda.so"
test -f "$provider" || { echo "$provider missing: the build did not use the GPU package" >&2; exit 1; }
echo "== CUDA provider libraries"
if ldd "$provider" | grep "not found"; then echo "missing libraries above: install the CUDA 13 runtime and cuDNN 9" >&2; exit 1; fi
ldconfig -p | grep -q libcudnn.so.9 || echo "warning: libcudnn.so.9 not in the ldconfig cache (it is loaded at run time)" >&2
bali=0; [ "${1:-}" = "--bali" ] && { bali=1; shift; bali_work=${1:-/tmp/detect-bali-bench}; shift $(( $# > 0 ? 1 : 0 )); }
onnx=${1:-}
if [ -z "$onnx" ]; then
  onnx=$(mktemp --suffix .onnx)
  /usr/bin/python3 models-manifest/convert.py --form nchw ../shared/models/keras/spectrogram_v0.0.11_2021-07-13.h5 "$onnx"
fi
bench="dotnet $out/Detect.Bench.Models.dll --onnx nchw=$onnx"
echo "== pixel model on CUDA ($(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg))"
$bench --device cuda --pixels 1000000,10000000,30000000
echo "== the same on the CPU ($(nproc) cores, shipped settings)"
$bench --device cpu --pixels 10000000 --batch 1024 --threads "$(nproc)" --concurrent 1 | tail -n 1
if [ "$bali" = 1 ]; then
  echo "== Bali on CUDA: the whole Detect run, $(nproc) cores"
  DETECT_DEVICE=cuda bench/bali-bench.sh bali "$bali_work" --workers "$(nproc)"
fi
