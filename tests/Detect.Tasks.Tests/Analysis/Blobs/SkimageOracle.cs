namespace Detect.Tasks.Tests.Analysis.Blobs;

/// <summary>
/// scikit-image 0.19.3's blob_doh pipeline up to the peaks, written as plainly as its Python source (whole integral
/// image, whole cube, every voxel's neighbourhood): the oracle that the streaming, vectorised detector is checked
/// against voxel for voxel.
/// </summary>
internal static class SkimageOracle
{
    /// <summary><c>integral_image</c>: <c>cumsum(axis=0)</c> then <c>cumsum(axis=1)</c> of the zeroed heatmap, float64.</summary>
    public static double[,] IntegralImage(float[] heatmap, int width, int height, float zeroBelow)
    {
        var s = new double[height, width];
        for (int r = 0; r < height; r++)
            for (int c = 0; c < width; c++)
            {
                float v = heatmap[r * width + c];
                s[r, c] = (v >= zeroBelow ? v : 0) + (r > 0 ? s[r - 1, c] : 0);
            }
        for (int r = 0; r < height; r++)
            for (int c = 1; c < width; c++) s[r, c] = s[r, c - 1] + s[r, c];
        return s;
    }

    /// <summary><c>_hessian_matrix_det</c> at one pixel, line by line from <c>_hessian_det_appx_pythran.py</c>.</summary>
    public static double Determinant(double[,] img, double sigma, int r, int c)
    {
        int size = (int)(3 * sigma);
        int s2 = (size - 1) / 2, s3 = size / 3, w = size;
        double wi = 1.0 / size / size;
        double tl = Integ(img, r - s3, c - s3, s3, s3);
        double br = Integ(img, r + 1, c + 1, s3, s3);
        double bl = Integ(img, r - s3, c + 1, s3, s3);
        double tr = Integ(img, r + 1, c - s3, s3, s3);
        double dxy = bl + tr - tl - br;
        dxy = -dxy * wi;
        double mid = Integ(img, r - s3 + 1, c - s2, 2 * s3 - 1, w);
        double side = Integ(img, r - s3 + 1, c - s3 / 2, 2 * s3 - 1, s3);
        double dxx = mid - 3 * side;
        dxx = -dxx * wi;
        mid = Integ(img, r - s2, c - s3 + 1, w, 2 * s3 - 1);
        side = Integ(img, r - s3 / 2, c - s3 + 1, s3, 2 * s3 - 1);
        double dyy = mid - 3 * side;
        dyy = -dyy * wi;
        return dxx * dyy - 0.81 * (dxy * dxy);
    }

    private static double Integ(double[,] img, int r, int c, int rl, int cl)
    {
        int h1 = img.GetLength(0) - 1, w1 = img.GetLength(1) - 1;
        r = Math.Clamp(r, 0, h1);
        c = Math.Clamp(c, 0, w1);
        int r2 = Math.Clamp(r + rl, 0, h1), c2 = Math.Clamp(c + cl, 0, w1);
        double ans = img[r, c] + img[r2, c2] - img[r, c2] - img[r2, c];
        return Math.Max(0.0, ans);
    }

    /// <summary>The cube [row, col, scale].</summary>
    public static double[,,] Cube(float[] heatmap, int width, int height, float zeroBelow, double[] sigmas)
    {
        var ii = IntegralImage(heatmap, width, height, zeroBelow);
        var cube = new double[height, width, sigmas.Length];
        for (int r = 0; r < height; r++)
            for (int c = 0; c < width; c++)
                for (int s = 0; s < sigmas.Length; s++) cube[r, c, s] = Determinant(ii, sigmas[s], r, c);
        return cube;
    }

    /// <summary><c>peak_local_max(cube, threshold_abs, footprint=ones((3,3,3)), exclude_border=False)</c>'s peak set:
    /// equal to the 3×3×3 maximum filter with 0 outside the cube, and above the threshold.</summary>
    public static List<(int Row, int Col, int Scale)> Peaks(double[,,] cube, double threshold)
    {
        int h = cube.GetLength(0), w = cube.GetLength(1), n = cube.GetLength(2);
        var peaks = new List<(int, int, int)>();
        for (int r = 0; r < h; r++)
            for (int c = 0; c < w; c++)
                for (int s = 0; s < n; s++)
                {
                    double v = cube[r, c, s], max = double.NegativeInfinity;
                    for (int dr = -1; dr <= 1; dr++)
                        for (int dc = -1; dc <= 1; dc++)
                            for (int ds = -1; ds <= 1; ds++)
                            {
                                int rr = r + dr, cc = c + dc, ss = s + ds;
                                bool inside = rr >= 0 && rr < h && cc >= 0 && cc < w && ss >= 0 && ss < n;
                                max = Math.Max(max, inside ? cube[rr, cc, ss] : 0);
                            }
                    if (v == max && v > threshold) peaks.Add((r, c, s));
                }
        return peaks;
    }
}
