namespace Detect.Tasks.Analysis.Blobs;

/// <summary>
/// Determinant-of-Hessian blob detection that returns exactly what scikit-image 0.19.3's <c>blob_doh</c> returns
/// (linear scales; Debian 12's python3-skimage with numpy 1.24 and scipy 1.10), applied to a heatmap after every value
/// below <see cref="BlobOptions.PredThreshold"/> (and every NaN) was set to 0.
/// </summary>
/// <remarks>
/// The (row, col, scale) cube is never held: horizontal strips of rows are processed in parallel, each streaming its
/// integral-image rows through a ring (<see cref="IntegralImage"/>) and holding the determinants of three rows × all
/// scales, which is all a 3×3×3 peak test needs. The peaks are then put in skimage's order (raster order of
/// (row, col, scale), then numpy's unstable argsort by determinant, <see cref="NumpyArgsort"/>) and pruned.
/// </remarks>
public static class BlobDetector
{
    /// <param name="heatmap">Row-major pixels, <paramref name="width"/>·<paramref name="height"/> values; NaN = nodata.</param>
    /// <returns>Blobs (pixel row, col, σ) in skimage's order: strongest determinant first.</returns>
    public static IReadOnlyList<Blob> Detect(ReadOnlySpan<float> heatmap, int width, int height, BlobOptions? options = null)
    {
        var o = options ?? new BlobOptions();
        return BlobPruning.Prune(Candidates(heatmap, width, height, o), o.Overlap);
    }

    /// <summary>The scale-space peaks as blobs before pruning, in skimage's order (<c>peak_local_max</c>'s output).</summary>
    internal static List<Blob> Candidates(ReadOnlySpan<float> heatmap, int width, int height, BlobOptions o) =>
        ToBlobs(Peaks(heatmap, width, height, o), o);

    internal static List<Blob> ToBlobs(IEnumerable<ScaleSpacePeaks.Peak> peaks, BlobOptions o)
    {
        double[] sigmas = o.Sigmas();
        return peaks.Select(p => new Blob(p.Row, p.Col, sigmas[p.Scale])).ToList();
    }

    /// <summary>The scale-space peaks with their determinants, in skimage's order.</summary>
    internal static unsafe List<ScaleSpacePeaks.Peak> Peaks(ReadOnlySpan<float> heatmap, int width, int height, BlobOptions o)
    {
        o.Validate();
        if (width <= 0 || height <= 0) throw new ArgumentException($"Heatmap size must be positive (got {width}x{height}).");
        if (heatmap.Length != (long)width * height)
            throw new ArgumentException($"Heatmap has {heatmap.Length} values but width·height = {width}·{height} = {(long)width * height}.");
        int infinite = heatmap.IndexOfAny(float.PositiveInfinity, float.NegativeInfinity);
        if (infinite >= 0)
            throw new ArgumentException($"Heatmap pixel (row {infinite / width}, col {infinite % width}) is {heatmap[infinite]}; " +
                "heatmap values must be finite (NaN marks nodata).");

        double[] sigmas = o.Sigmas();
        var kernels = sigmas.Select(HessianDeterminant.KernelFor).ToArray();
        List<ScaleSpacePeaks.Peak> peaks;
        fixed (float* pixels = heatmap)
            peaks = ScaleSpaceStrips.FindPeaks(pixels, width, height, o.PredThreshold, kernels, o.Threshold);

        long voxels = (long)width * height * sigmas.Length;
        if (voxels > 1 && peaks.Count == voxels) peaks.Clear(); // skimage: a cube that is its own maximum everywhere has no peaks
        if (o.ExcludeBorder > 0)
            peaks.RemoveAll(p => p.Row < o.ExcludeBorder || p.Row >= height - o.ExcludeBorder || p.Col < o.ExcludeBorder || p.Col >= width - o.ExcludeBorder);

        // skimage: coordinates from np.nonzero (raster order of the (row, col, scale) cube), then argsort(-intensities)
        peaks.Sort((a, b) => a.Row != b.Row ? a.Row.CompareTo(b.Row) : a.Col != b.Col ? a.Col.CompareTo(b.Col) : a.Scale.CompareTo(b.Scale));
        var negated = peaks.Select(p => -p.Value).ToArray();
        return NumpyArgsort.Argsort(negated).Select(i => peaks[i]).ToList();
    }
}
