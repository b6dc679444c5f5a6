#!/usr/bin/python3
"""scikit-image's blob_doh on a heatmap dumped by `Detect.Bench.Analysis blobs SIZE PREFIX`, with the pipeline's
parameters (values < 0.75 zeroed, min_sigma 3.5, max_sigma 100, num_sigma 10, threshold 0.0025, overlap 0.5).
Prints skimage's time and whether its blobs equal Detect's (PREFIX.blobs.txt). Debian: python3-skimage."""
import sys, time
import numpy as np
from skimage.feature import blob_doh

prefix, size = sys.argv[1], int(sys.argv[2])
heatmap = np.fromfile(prefix + ".f32", dtype=np.float32).reshape(size, size).astype(np.float64)
heatmap[~(heatmap >= 0.75)] = 0
start, cpu = time.perf_counter(), time.process_time()
blobs = blob_doh(heatmap, min_sigma=3.5, max_sigma=100, num_sigma=10, threshold=0.0025, overlap=0.5)
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
ours = np.loadtxt(prefix + ".blobs.txt", ndmin=2) if open(prefix + ".blobs.txt").read().strip() else np.zeros((0, 3))
theirs = {(int(r), int(c), round(float(s), 9)) for r, c, s in blobs}
mine = {(int(r), int(c), round(float(s), 9)) for r, c, s in ours}
print(f"skimage {__import__('skimage').__version__} blob_doh {size}²: {len(blobs)} blobs in {seconds:.2f} s wall, {cpu:.2f} s CPU; "
      f"Detect {len(mine)} blobs; equal sets: {theirs == mine} (only skimage: {len(theirs - mine)}, only Detect: {len(mine - theirs)})")
