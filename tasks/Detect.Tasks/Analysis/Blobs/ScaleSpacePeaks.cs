using System.Numerics;

namespace Detect.Tasks.Analysis.Blobs;

/// <summary>
/// scikit-image 0.19 <c>peak_local_max(cube, threshold_abs, footprint=ones((3, 3, 3)), exclude_border=False)</c> on the
/// (row, col, scale) cube of determinants: a voxel is a peak when it equals the maximum of its 3×3×3 neighbourhood
/// (scipy's <c>maximum_filter</c>, <c>mode='constant'</c>: voxels outside the cube count as 0) and is strictly greater
/// than the threshold. Every voxel of a plateau is a peak (neighbours equal to it do not exclude it), as in skimage,
/// whose <c>ensure_spacing</c> with min_distance 1 only removes points closer than 1 (none: they are distinct voxels).
/// </summary>
internal static class ScaleSpacePeaks
{
    /// <summary>A peak at (row, col, scale index) with its float64 determinant.</summary>
    public readonly record struct Peak(int Row, int Col, int Scale, double Value);

    /// <summary>
    /// Adds the peaks of row <paramref name="r"/> (all scales) to <paramref name="peaks"/>, given the determinant rows
    /// [scale][col] of this row and its neighbours (null beyond the raster's first and last row).
    /// </summary>
    public static void FindInRow(double[][]? above, double[][] row, double[][]? below, int r, int height, double threshold, List<Peak> peaks)
    {
        int scales = row.Length, width = row[0].Length;
        double[][]?[] rows = [above, row, below];
        bool rowOnBorder = r == 0 || r == height - 1;
        var limit = new Vector<double>(threshold);
        int n = Vector<double>.Count;
        for (int s = 0; s < scales; s++)
        {
            var plane = row[s];
            bool scaleOnBorder = s == 0 || s == scales - 1;
            for (int c0 = 0; c0 < width; c0 += n)
            {
                // cheap reject first: almost every voxel is at or below the threshold
                if (c0 + n <= width && !Vector.GreaterThanAny(new Vector<double>(plane, c0), limit)) continue;
                for (int c = c0, end = Math.Min(width, c0 + n); c < end; c++)
                {
                    double v = plane[c];
                    if (!(v > threshold)) continue;
                    // on the cube's border the maximum filter also sees the constant 0 outside it
                    if (v < 0 && (rowOnBorder || scaleOnBorder || c == 0 || c == width - 1)) continue;
                    if (IsNeighbourhoodMax(rows, s, c, v)) peaks.Add(new Peak(r, c, s, v));
                }
            }
        }
    }

    private static bool IsNeighbourhoodMax(double[][]?[] rows, int s, int c, double v)
    {
        int scales = rows[1]!.Length, width = rows[1]![0].Length;
        foreach (var scaleRows in rows)
        {
            if (scaleRows is null) continue;
            for (int ds = Math.Max(0, s - 1); ds <= Math.Min(scales - 1, s + 1); ds++)
            {
                var p = scaleRows[ds];
                for (int cc = Math.Max(0, c - 1); cc <= Math.Min(width - 1, c + 1); cc++)
                    if (p[cc] > v) return false;
            }
        }
        return true;
    }
}
