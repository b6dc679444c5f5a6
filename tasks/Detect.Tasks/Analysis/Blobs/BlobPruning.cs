namespace Detect.Tasks.Analysis.Blobs;

/// <summary>
/// scikit-image 0.19 <c>_prune_blobs</c> for 2-D blobs: a blob is a disc of radius σ·√2; for each pair of blobs at
/// most 2·√2·max σ apart, if the overlap (intersection area / area of the smaller disc) exceeds the limit, the one with
/// the smaller σ is dropped (the first of the pair when σ is equal). A dropped blob has σ = 0 and drops nothing more.
/// </summary>
internal static class BlobPruning
{
    /// <param name="blobs">In skimage's order (strongest determinant first, numpy's tie order).</param>
    /// <returns>The kept blobs, in the order given.</returns>
    public static List<Blob> Prune(IReadOnlyList<Blob> blobs, double overlap)
    {
        if (blobs.Count == 0) return [];
        double reach = 2 * blobs.Max(b => b.Sigma) * Math.Sqrt(2);
        return Prune(blobs, overlap, BlobPairOrder.Pairs(blobs, reach));
    }

    /// <summary>The pruning with the pairs compared in the order given (the tests show that the order matters).</summary>
    internal static List<Blob> Prune(IReadOnlyList<Blob> blobs, double overlap, IEnumerable<(int I, int J)> pairs)
    {
        int n = blobs.Count;
        var sigma = new double[n];
        for (int i = 0; i < n; i++) sigma[i] = blobs[i].Sigma;
        foreach (var (i, j) in pairs)
        {
            if (OverlapFraction(blobs[i].Row, blobs[i].Col, sigma[i], blobs[j].Row, blobs[j].Col, sigma[j]) > overlap)
            {
                if (sigma[i] > sigma[j]) sigma[j] = 0; else sigma[i] = 0;
            }
        }
        var kept = new List<Blob>();
        for (int i = 0; i < n; i++) if (sigma[i] > 0) kept.Add(blobs[i]);
        return kept;
    }

    /// <summary>
    /// skimage <c>_blob_overlap</c> (2-D): the fraction of the smaller disc covered by the other, in space rescaled by the
    /// larger σ·√2, with skimage's operations: each coordinate is divided by σ·√2 before the difference is taken, and
    /// numpy scalars' <c>x ** 2</c> is C <c>pow(x, 2)</c> (Math.Pow calls the same libm), not x·x.
    /// </summary>
    internal static double OverlapFraction(double row1, double col1, double s1, double row2, double col2, double s2)
    {
        if (s1 == 0 && s2 == 0) return 0;
        double big, r1, r2;
        if (s1 > s2) { big = s1; r1 = 1; r2 = s2 / s1; }
        else { big = s2; r2 = 1; r1 = s1 / s2; }
        double scale = big * Math.Sqrt(2);
        double dRow = row2 / scale - row1 / scale, dCol = col2 / scale - col1 / scale; // (pos2 - pos1)**2 on an array is x·x
        double d = Math.Sqrt(dRow * dRow + dCol * dCol);
        if (d > r1 + r2) return 0;  // centres farther apart than the radii: no overlap
        if (d <= Math.Abs(r1 - r2)) return 1; // one disc inside the other
        return DiskOverlap(d, r1, r2);
    }

    /// <summary>skimage <c>_compute_disk_overlap</c>.</summary>
    private static double DiskOverlap(double d, double r1, double r2)
    {
        double ratio1 = Math.Clamp((Pow2(d) + Pow2(r1) - Pow2(r2)) / (2 * d * r1), -1, 1);
        double acos1 = Math.Acos(ratio1);
        double ratio2 = Math.Clamp((Pow2(d) + Pow2(r2) - Pow2(r1)) / (2 * d * r2), -1, 1);
        double acos2 = Math.Acos(ratio2);
        double a = -d + r2 + r1, b = d - r2 + r1, c = d + r2 - r1, e = d + r2 + r1;
        double area = Pow2(r1) * acos1 + Pow2(r2) * acos2 - 0.5 * Math.Sqrt(Math.Abs(a * b * c * e));
        return area / (Math.PI * Pow2(Math.Min(r1, r2)));
    }

    /// <summary>Python's <c>x ** 2</c> on a numpy float64 scalar: libm <c>pow</c> (exact for the int 1 skimage also uses).</summary>
    private static double Pow2(double x) => Math.Pow(x, 2);
}
