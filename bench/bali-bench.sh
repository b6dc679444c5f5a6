#!/usr/bin/env bash
# Region-scale benchmark (issue 13 item 6): the whole Detect run on a synthetic Sentinel-2 store for a region of
# ../shared/roi (default bali, ~120 tiles), 2 years of scenes every 10 days, written per 109.8 km scene tile
# (`Detect.Bench scale-seed`, never one canvas of the region). Prints wall time and peak RSS of the run, then per task
# family: count, total and mean seconds (the per-tile stage times: TileScenes = scene search + record, Mosaic = read +
# resample + mosaic + mosaic COG writes, Heatmap = mosaic COG reads + inference + heatmap COG, PatchTile = the patch
# classifier, BlobDetect = blobs).
#   bench/bali-bench.sh [roi=bali] [workDir=/tmp/detect-bali-bench] [detect run options; default --workers <cores>]
#   bench/bali-bench.sh --stages <run log>   the per-family table of a run's log (also of a run stopped early)
# The store is kept in workDir/store (seeded once; ~5 GB for bali with 2 raster variants per scene tile: see
# bench/README-bali.md) and serves several ROIs that share its scene tiles (bali_foot lies inside bali's).
# Delete workDir afterwards. DETECT_DEVICE=cuda runs the inference on a GPU (bench/gpu-check.sh --bali).
set -euo pipefail
cd "$(dirname "$0")/.."
# Per task family, from the run log's "done <task id> in <s>s" lines (a family is the task id up to its first '_').
stages() {
  awk '/ done  / { id = $4; s = $NF; sub(/s$/, "", s); fam = id; sub(/_.*/, "", fam); n[fam]++; t[fam] += s }
       END { printf "| task family | tasks | total s | mean s |\n| --- | ---: | ---: | ---: |\n";
             for (f in n) printf "| %s | %d | %.1f | %.2f |\n", f, n[f], t[f], t[f] / n[f] }' "$1"
}
[ "${1:-}" = "--stages" ] && { stages "$2"; exit 0; }
roi=${1:-bali}; work=${2:-/tmp/detect-bali-bench}; shift $(( $# > 2 ? 2 : $# ))
store="$work/store"; mkdir -p "$work"
dotnet build bench/Detect.Bench -c Release -nologo -v q >/dev/null
seed_roi=${DETECT_SEED_ROI:-bali}
[ -f "$store/boundaries/$seed_roi.geojson" ] && [ -d "$store/imagery/items" ] \
  || dotnet .build/bin/Detect.Bench/Release/net10.0/Detect.Bench.dll scale-seed ../shared "$seed_roi" "$store" 2 10 2
[ -f "$store/boundaries/$roi.geojson" ] || cp "../shared/roi/$roi.geojson" "$store/boundaries/$roi.geojson"
./detect --version >/dev/null 2>&1 || true # builds the CLI before the clock starts
case " $* " in *" --workers "*) ;; *) set -- --workers "$(nproc)" "$@" ;; esac # one task per core unless told
run_id="bench-$roi-$(date -u +%Y%m%dT%H%M%S)"
echo "== $roi: detect run Detect (run id $run_id, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ))"
/usr/bin/time -v -o "$work/$run_id.time" ./detect run Detect --roi "$roi" --store "$store" --run-id "$run_id" \
  --start-date 2019-01-01 --end-date 2021-01-01 --device "${DETECT_DEVICE:-auto}" "$@" >"$work/$run_id.log" 2>&1 \
  || { tail -n 20 "$work/$run_id.log" >&2; echo "run failed; log: $work/$run_id.log" >&2; exit 1; }
grep -E "Elapsed \(wall|Maximum resident" "$work/$run_id.time"
stages "$work/$run_id.log"
