namespace Detect.Tasks.Analysis.Blobs;

/// <summary>
/// scikit-image <c>peak_local_max(cube, threshold_abs, footprint=ones((3,3,3)), threshold_rel=0)</c>: a voxel is a peak
/// when it equals the maximum of its 3×3×3 neighbourhood (voxels outside the cube count as 0, scipy's
/// <c>mode='constant'</c>) and is strictly greater than the threshold.
/// </summary>
internal static class ScaleSpacePeaks
{
    public readonly record struct Peak(int Row, int Col, int Scale, float Value);

    /// <summary>Peaks of the whole cube, strongest first.</summary>
    public static List<Peak> Find(float[][] cube, int width, int height, double threshold, int excludeBorder)
    {
        var peaks = new List<Peak>();
        for (int s = 0; s < cube.Length; s++)
            FindInPlane(s > 0 ? cube[s - 1] : null, cube[s], s + 1 < cube.Length ? cube[s + 1] : null, s, width, height, threshold, excludeBorder, peaks);
        Order(peaks);
        return peaks;
    }

    /// <summary>
    /// Adds the peaks of scale <paramref name="scale"/> to <paramref name="peaks"/>, given its plane and its neighbours
    /// (null beyond the first and last scale). Rows are searched in parallel; the order is fixed later by <see cref="Order"/>.
    /// </summary>
    public static void FindInPlane(float[]? below, float[] plane, float[]? above, int scale, int width, int height,
        double threshold, int excludeBorder, List<Peak> peaks)
    {
        int rLo = excludeBorder, rHi = height - excludeBorder, cLo = excludeBorder, cHi = width - excludeBorder;
        if (rHi <= rLo || cHi <= cLo) return;
        var planes = new[] { below, plane, above };
        var found = new System.Collections.Concurrent.ConcurrentBag<List<Peak>>();
        const int RowsPerChunk = 64;
        Parallel.For(0, (rHi - rLo + RowsPerChunk - 1) / RowsPerChunk, chunk =>
        {
            List<Peak>? local = null;
            for (int r = rLo + chunk * RowsPerChunk, end = Math.Min(rHi, r + RowsPerChunk); r < end; r++)
            {
                long rowStart = (long)r * width;
                for (int c = cLo; c < cHi; c++)
                {
                    float v = plane[rowStart + c];
                    if (!(v > threshold)) continue; // cheap reject first: almost every voxel is below threshold
                    if (IsNeighbourhoodMax(planes, width, height, r, c, v)) (local ??= []).Add(new Peak(r, c, scale, v));
                }
            }
            if (local is not null) found.Add(local);
        });
        foreach (var list in found) peaks.AddRange(list);
    }

    /// <summary>Strongest first (as current scikit-image returns them); ties in raster order, then scale, so the output is deterministic.</summary>
    public static void Order(List<Peak> peaks) =>
        peaks.Sort((a, b) => b.Value != a.Value ? b.Value.CompareTo(a.Value)
            : a.Row != b.Row ? a.Row.CompareTo(b.Row) : a.Col != b.Col ? a.Col.CompareTo(b.Col) : a.Scale.CompareTo(b.Scale));

    private static bool IsNeighbourhoodMax(float[]?[] planes, int width, int height, int r, int c, float v)
    {
        // v > threshold ≥ 0 here, so out-of-cube zeros can never exceed it: only in-cube neighbours matter.
        foreach (var p in planes)
        {
            if (p is null) continue;
            for (int dr = -1; dr <= 1; dr++)
            {
                int rr = r + dr;
                if (rr < 0 || rr >= height) continue;
                long rowStart = (long)rr * width;
                for (int dc = -1; dc <= 1; dc++)
                {
                    int cc = c + dc;
                    if (cc < 0 || cc >= width) continue;
                    if (p[rowStart + cc] > v) return false;
                }
            }
        }
        return true;
    }
}
