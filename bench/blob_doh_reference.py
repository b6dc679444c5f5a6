#!/usr/bin/python3
"""scikit-image's blob_doh (Debian 12: python3-skimage 0.19.3, numpy 1.24, scipy 1.10) as the pipeline calls it:
heatmap values below pred_threshold (compared in float32, as numpy does for a float32 array) and NaN set to 0,
linear scales, then blob_doh(heatmap, min_sigma, max_sigma, num_sigma, threshold, overlap).

  blob_doh_reference.py PREFIX SIZE
      times blob_doh on PREFIX.f32 (SIZE x SIZE float32, from `Detect.Bench.Analysis blobs SIZE PREFIX`) with the
      pipeline's parameters (0.75, 3.5, 100, 10, 0.0025, 0.5) and says whether Detect's PREFIX.blobs.txt is the same
      list: same blobs, same order, same values.
  blob_doh_reference.py --fixtures DIR OUT.csv
      the reference blobs of the test heatmaps dumped by `Detect.Bench.Analysis blob-fixtures DIR` (DIR/fixtures.csv
      lists them with their parameters) into OUT.csv: heatmap,row,col,sigma in blob_doh's order.
"""
import csv, sys, time
import numpy as np
from skimage.feature import blob_doh

PIPELINE = dict(pred_threshold=0.75, min_sigma=3.5, max_sigma=100, num_sigma=10, threshold=0.0025, overlap=0.5)


def reference_blobs(heatmap32, pred_threshold, min_sigma, max_sigma, num_sigma, threshold, overlap):
    """blob_doh's (row, col, sigma) array for a float32 heatmap, with the pipeline's zeroing first."""
    image = heatmap32.astype(np.float64)
    image[~(heatmap32 >= np.float32(pred_threshold))] = 0
    return blob_doh(image, min_sigma=min_sigma, max_sigma=max_sigma, num_sigma=int(num_sigma),
                    threshold=threshold, overlap=overlap)


def fixtures(folder, out_csv):
    with open(f"{folder}/fixtures.csv") as f:
        rows = list(csv.DictReader(f))
    with open(out_csv, "w", newline="") as out:
        out.write(f"# scikit-image 0.19.3 blob_doh of the BlobFixtures heatmaps (bench/blob_doh_reference.py --fixtures)\n")
        out.write("heatmap,row,col,sigma\n")
        for row in rows:
            w, h = int(row["width"]), int(row["height"])
            heatmap = np.fromfile(f"{folder}/{row['name']}.f32", dtype=np.float32).reshape(h, w)
            params = {k: float(row[k]) for k in PIPELINE}
            blobs = reference_blobs(heatmap, **params)
            for r, c, s in blobs:
                out.write(f"{row['name']},{int(r)},{int(c)},{float(s)!r}\n")
            print(f"{row['name']}: {w}x{h}, {len(blobs)} blobs")


def bench(prefix, size):
    heatmap = np.fromfile(prefix + ".f32", dtype=np.float32).reshape(size, size)
    start, cpu = time.perf_counter(), time.process_time()
    blobs = reference_blobs(heatmap, **PIPELINE)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    text = open(prefix + ".blobs.txt").read().strip()
    ours = np.loadtxt(prefix + ".blobs.txt", ndmin=2) if text else np.zeros((0, 3))
    same = blobs.shape == ours.shape and np.array_equal(blobs, ours)
    theirs_set = {tuple(b) for b in blobs.tolist()}
    ours_set = {tuple(b) for b in ours.tolist()}
    print(f"skimage {__import__('skimage').__version__} blob_doh {size}²: {len(blobs)} blobs in {seconds:.2f} s wall, {cpu:.2f} s CPU; "
          f"Detect {len(ours)} blobs; the same list (blobs, order, values): {same} "
          f"(only skimage: {len(theirs_set - ours_set)}, only Detect: {len(ours_set - theirs_set)})")
    try:
        wall, cpu_detect = map(float, open(prefix + ".seconds.txt").read().split())
        print(f"Detect is {seconds / wall:.1f}x faster in wall time and {cpu / cpu_detect:.1f}x in CPU time (the run just before)")
    except FileNotFoundError:
        pass
    return 0 if same else 1


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--fixtures":
        fixtures(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 3:
        sys.exit(bench(sys.argv[1], int(sys.argv[2])))
    else:
        sys.exit(__doc__)
