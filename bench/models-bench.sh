#!/usr/bin/env bash
# Pixel-model throughput on the CPU: converts the default pixel model in every graph form, then measures
# pixels/s for the configurations compared in bench/README-models.md. Needs ../shared/models/keras.
# Usage: bench/models-bench.sh [pixels, default 1000000,10000000]
set -euo pipefail
cd "$(dirname "$0")/.."
keras=../shared/models/keras/spectrogram_v0.0.11_2021-07-13.h5
test -f "$keras" || { echo "missing $keras (the shared Keras models, see DATA.md)" >&2; exit 1; }
pixels=${1:-1000000,10000000}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
for form in conv gemm hybrid nchw; do /usr/bin/python3 models-manifest/convert.py --form $form "$keras" "$work/$form.onnx"; done
dotnet build -c Release bench/Detect.Bench.Models -v q -nologo >/dev/null
bench=".build/bin/Detect.Bench.Models/Release/net10.0/Detect.Bench.Models.dll"
echo "# $(date -u +%FT%TZ) $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg)"
# 1. graph forms, ORT's own intra-op threading over large batches (how ORT is usually run)
dotnet "$bench" --onnx conv="$work/conv.onnx" --onnx gemm="$work/gemm.onnx" --onnx hybrid="$work/hybrid.onnx" \
  --onnx nchw="$work/nchw.onnx" --pixels 1000000 --batch 16384 --threads 2 --concurrent 0
# 2. batch size and parallelism for the chosen form
dotnet "$bench" --onnx nchw="$work/nchw.onnx" --pixels 1000000 --batch 256,1024,4096,16384 --threads 2 --concurrent 0,1 | tail -n +3
dotnet "$bench" --onnx nchw="$work/nchw.onnx" --pixels 1000000 --batch 1024 --threads 1 | tail -n +3
# 3. the shipped configuration (InferenceSettings.Default) at 1 M and 10 M pixels
dotnet "$bench" --onnx nchw="$work/nchw.onnx" --pixels "$pixels" --batch 1024 --threads 2 --concurrent 1 | tail -n +3
# 4. the patch classifier over a tile, every 45 px window at stride 8: per window vs the tile ("grid") form
/usr/bin/python3 models-manifest/convert.py ../shared/models/keras/v1.1.0_4-23-21_patch_classifier_45px_patch.h5 "$work/patch.onnx"
/usr/bin/python3 models-manifest/convert.py --form grid ../shared/models/keras/v1.1.0_4-23-21_patch_classifier_45px_patch.h5 "$work/grid.onnx"
dotnet "$bench" patch "$work/patch.onnx" "$work/grid.onnx" 901
