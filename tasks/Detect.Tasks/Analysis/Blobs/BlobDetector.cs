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
        var cube = new float[sigmas.Length][];
        Parallel.For(0, sigmas.Length, s =>
        {
            cube[s] = new float[width * height];
            HessianDeterminant.Compute(ii, sigmas[s], cube[s]);
        });
        var peaks = ScaleSpacePeaks.Find(cube, width, height, o.Threshold, o.ExcludeBorder);
        var blobs = peaks.Select(p => new Blob(p.Row, p.Col, sigmas[p.Scale])).ToList();
        return BlobPruning.Prune(blobs, o.Overlap);
    }
}
