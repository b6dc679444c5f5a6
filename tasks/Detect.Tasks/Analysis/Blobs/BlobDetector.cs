namespace Detect.Tasks.Analysis.Blobs;

/// <summary>
/// Determinant-of-Hessian blob detection with the semantics of scikit-image <c>blob_doh</c> (linear scales), applied to a
/// heatmap after every value below <see cref="BlobOptions.PredThreshold"/> (and every NaN) was set to 0.
/// </summary>
public static class BlobDetector
{
    /// <param name="heatmap">Row-major pixels, <paramref name="width"/>·<paramref name="height"/> values; NaN = nodata.</param>
    /// <returns>Blobs (pixel row, col, σ), strongest response first.</returns>
    public static IReadOnlyList<Blob> Detect(ReadOnlySpan<float> heatmap, int width, int height, BlobOptions? options = null)
    {
        var o = options ?? new BlobOptions();
        o.Validate();
        if (width <= 0 || height <= 0) throw new ArgumentException($"Heatmap size must be positive (got {width}x{height}).");
        if (heatmap.Length != (long)width * height)
            throw new ArgumentException($"Heatmap has {heatmap.Length} values but width·height = {width}·{height} = {(long)width * height}.");

        var ii = IntegralImage.FromHeatmap(heatmap, width, height, o.PredThreshold);
        double[] sigmas = o.Sigmas();
        // A scale's peaks need only its own plane and its two neighbours, so the determinant planes are made one at a
        // time and at most three are held (the integral image + 3 planes instead of all 10: 1.5 GB for an 8000² heatmap
        // where the whole cube took 3.2 GB). Each plane is computed with all cores over its rows.
        var window = new float[Math.Min(3, sigmas.Length)][];
        float[] Plane(int s) => window[s % window.Length];
        var peaks = new List<ScaleSpacePeaks.Peak>();
        for (int s = 0; s <= sigmas.Length; s++)
        {
            if (s < sigmas.Length)
            {
                window[s % window.Length] ??= new float[(long)width * height];
                HessianDeterminant.Compute(ii, sigmas[s], Plane(s));
            }
            int done = s - 1; // its upper neighbour (if any) is now computed, the lower one still held
            if (done >= 0)
                ScaleSpacePeaks.FindInPlane(done > 0 ? Plane(done - 1) : null, Plane(done), done + 1 < sigmas.Length ? Plane(done + 1) : null,
                    done, width, height, o.Threshold, o.ExcludeBorder, peaks);
        }
        ScaleSpacePeaks.Order(peaks);
        var blobs = peaks.Select(p => new Blob(p.Row, p.Col, sigmas[p.Scale])).ToList();
        return BlobPruning.Prune(blobs, o.Overlap);
    }
}
