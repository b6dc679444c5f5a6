namespace Detect.Tasks.Analysis.Blobs;

/// <summary>
/// scikit-image <c>_prune_blobs</c> for 2-D blobs: a blob is a disc of radius σ·√2; of two blobs whose overlap
/// (intersection area / area of the smaller disc) exceeds the limit, the one with the smaller σ is dropped
/// (the first of the pair when σ is equal). Pairs are visited in index order, blobs in the order given.
/// </summary>
internal static class BlobPruning
{
    public static List<Blob> Prune(IReadOnlyList<Blob> blobs, double overlap)
    {
        int n = blobs.Count;
        if (n == 0) return [];
        var sigma = new double[n];
        for (int i = 0; i < n; i++) sigma[i] = blobs[i].Sigma;
        double maxSigma = sigma.Max();
        double reach = 2 * maxSigma * Math.Sqrt(2); // cKDTree.query_pairs distance: pairs at most this far apart
        double reach2 = reach * reach;
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                double dr = blobs[i].Row - blobs[j].Row, dc = blobs[i].Col - blobs[j].Col;
                if (dr * dr + dc * dc > reach2) continue;
                if (OverlapFraction(blobs[i].Row, blobs[i].Col, sigma[i], blobs[j].Row, blobs[j].Col, sigma[j]) > overlap)
                {
                    if (sigma[i] > sigma[j]) sigma[j] = 0; else sigma[i] = 0;
                }
            }
        }
        var kept = new List<Blob>();
        for (int i = 0; i < n; i++) if (sigma[i] > 0) kept.Add(blobs[i]);
        return kept;
    }

    /// <summary>Fraction of the smaller disc covered by the other; space rescaled so the larger disc has radius 1.</summary>
    internal static double OverlapFraction(double r1Row, double r1Col, double s1, double r2Row, double r2Col, double s2)
    {
        if (s1 == 0 && s2 == 0) return 0;
        double big = Math.Max(s1, s2);
        double rad1 = s1 > s2 ? 1 : s1 / s2, rad2 = s1 > s2 ? s2 / s1 : 1;
        double scale = big * Math.Sqrt(2);
        double d = Math.Sqrt(Sq((r1Row - r2Row) / scale) + Sq((r1Col - r2Col) / scale));
        if (d > rad1 + rad2) return 0;
        if (d <= Math.Abs(rad1 - rad2)) return 1;
        return DiskOverlap(d, rad1, rad2);
    }

    private static double DiskOverlap(double d, double r1, double r2)
    {
        double acos1 = Math.Acos(Math.Clamp((d * d + r1 * r1 - r2 * r2) / (2 * d * r1), -1, 1));
        double acos2 = Math.Acos(Math.Clamp((d * d + r2 * r2 - r1 * r1) / (2 * d * r2), -1, 1));
        double a = -d + r2 + r1, b = d - r2 + r1, c = d + r2 - r1, e = d + r2 + r1;
        double area = r1 * r1 * acos1 + r2 * r2 * acos2 - 0.5 * Math.Sqrt(Math.Abs(a * b * c * e));
        return area / (Math.PI * Sq(Math.Min(r1, r2)));
    }

    private static double Sq(double x) => x * x;
}
