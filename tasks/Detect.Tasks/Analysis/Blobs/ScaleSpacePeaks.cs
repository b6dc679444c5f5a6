namespace Detect.Tasks.Analysis.Blobs;

/// <summary>
/// scikit-image <c>peak_local_max(cube, threshold_abs, footprint=ones((3,3,3)), threshold_rel=0)</c>: a voxel is a peak
/// when it equals the maximum of its 3×3×3 neighbourhood (voxels outside the cube count as 0, scipy's
/// <c>mode='constant'</c>) and is strictly greater than the threshold.
/// </summary>
internal static class ScaleSpacePeaks
{
    public readonly record struct Peak(int Row, int Col, int Scale, float Value);

    public static List<Peak> Find(float[][] cube, int width, int height, double threshold, int excludeBorder)
    {
        var peaks = new List<Peak>();
        int scales = cube.Length;
        int rLo = excludeBorder, rHi = height - excludeBorder, cLo = excludeBorder, cHi = width - excludeBorder;
        for (int s = 0; s < scales; s++)
        {
            var plane = cube[s];
            for (int r = rLo; r < rHi; r++)
            {
                int rowStart = r * width;
                for (int c = cLo; c < cHi; c++)
                {
                    float v = plane[rowStart + c];
                    if (!(v > threshold)) continue; // cheap reject first: almost every voxel is below threshold
                    if (IsNeighbourhoodMax(cube, width, height, s, r, c, v)) peaks.Add(new Peak(r, c, s, v));
                }
            }
        }
        // Strongest first (as current scikit-image returns them); ties in raster order, so the output is deterministic.
        peaks.Sort((a, b) => b.Value != a.Value ? b.Value.CompareTo(a.Value)
            : a.Row != b.Row ? a.Row.CompareTo(b.Row) : a.Col != b.Col ? a.Col.CompareTo(b.Col) : a.Scale.CompareTo(b.Scale));
        return peaks;
    }

    private static bool IsNeighbourhoodMax(float[][] cube, int width, int height, int s, int r, int c, float v)
    {
        // v > threshold ≥ 0 here, so out-of-cube zeros can never exceed it: only in-cube neighbours matter.
        for (int ds = -1; ds <= 1; ds++)
        {
            int ss = s + ds;
            if (ss < 0 || ss >= cube.Length) continue;
            var plane = cube[ss];
            for (int dr = -1; dr <= 1; dr++)
            {
                int rr = r + dr;
                if (rr < 0 || rr >= height) continue;
                for (int dc = -1; dc <= 1; dc++)
                {
                    int cc = c + dc;
                    if (cc < 0 || cc >= width) continue;
                    if (plane[rr * width + cc] > v) return false;
                }
            }
        }
        return true;
    }
}
