using System.Numerics;

namespace Detect.Tasks.Analysis.Blobs;

/// <summary>
/// Box-filter approximation of the determinant of the Hessian (SURF), with the exact box geometry, clipping and
/// weights of scikit-image's <c>_hessian_matrix_det</c>: det = Dxx·Dyy − 0.81·Dxy².
/// </summary>
internal static class HessianDeterminant
{
    /// <summary>One box: rows (r+DR, r+DR+RL], cols (c+DC, c+DC+CL] of the integral image, both ends clipped to the raster.</summary>
    private readonly record struct Box(int DR, int RL, int DC, int CL);

    private sealed record Kernel(Box TopLeft, Box BottomRight, Box BottomLeft, Box TopRight,
        Box XMid, Box XSide, Box YMid, Box YSide, double Weight);

    private static Kernel KernelFor(double sigma)
    {
        int size = (int)(3 * sigma);       // skimage: int(3 * sigma); w and the weight use this size unchanged
        int s2 = (size - 1) / 2, s3 = size / 3, w = size;
        return new Kernel(
            TopLeft: new(-s3, s3, -s3, s3), BottomRight: new(1, s3, 1, s3),
            BottomLeft: new(-s3, s3, 1, s3), TopRight: new(1, s3, -s3, s3),
            XMid: new(-s3 + 1, 2 * s3 - 1, -s2, w), XSide: new(-s3 + 1, 2 * s3 - 1, -s3 / 2, s3),
            YMid: new(-s2, w, -s3 + 1, 2 * s3 - 1), YSide: new(-s3 / 2, s3, -s3 + 1, 2 * s3 - 1),
            Weight: 1.0 / size / size);
    }

    /// <summary>Writes the determinant for every pixel into <paramref name="output"/> (row-major, Width·Height), rows in
    /// parallel on all cores.</summary>
    public static void Compute(IntegralImage ii, double sigma, float[] output)
    {
        var k = KernelFor(sigma);
        int w = ii.Width, h = ii.Height;
        const int RowsPerChunk = 16;
        Parallel.For(0, (h + RowsPerChunk - 1) / RowsPerChunk, chunk =>
        {
            for (int r = chunk * RowsPerChunk, end = Math.Min(h, r + RowsPerChunk); r < end; r++)
                Row(ii, k, r, output.AsSpan((int)((long)r * w), w));
        });
    }

    /// <summary>
    /// One row of determinants. Columns where no box sticks out of the raster sideways are computed eight at a time in
    /// one pass (vector loads of the integral image at each box's corner offsets); the few edge columns per pixel by
    /// <see cref="AtPixel"/>. Both do the same IEEE operations in the same order (no fused multiply-add), so the values are
    /// identical, not just close (HessianDeterminantTests compares every pixel).
    /// </summary>
    private static void Row(IntegralImage ii, Kernel k, int r, Span<float> output)
    {
        int w = ii.Width, h1 = ii.Height - 1, w1 = w - 1;
        Box[] boxes = [k.BottomLeft, k.TopRight, k.TopLeft, k.BottomRight, k.XMid, k.XSide, k.YMid, k.YSide];
        int lo = 0, hi = w;
        foreach (var b in boxes)
        {
            lo = Math.Max(lo, Math.Clamp(-b.DC, 0, w));
            hi = Math.Min(hi, Math.Clamp(w1 - b.DC - b.CL + 1, 0, w));
        }
        hi = Math.Max(hi, lo);
        for (int c = 0; c < lo; c++) output[c] = AtPixel(ii, k, r, c);
        for (int c = hi; c < w; c++) output[c] = AtPixel(ii, k, r, c);
        if (hi == lo) return;

        // per box: where its top-left, bottom-right, top-right and bottom-left corners lie in the integral image for
        // column 0 of this row (rows clipped to the raster; the columns need no clipping in [lo, hi))
        var v = ii.Values;
        int[] tl0 = new int[8], br0 = new int[8], tr0 = new int[8], bl0 = new int[8];
        for (int i = 0; i < 8; i++)
        {
            int top = Math.Clamp(r + boxes[i].DR, 0, h1) * w, bottom = Math.Clamp(r + boxes[i].DR + boxes[i].RL, 0, h1) * w;
            int left = boxes[i].DC, right = boxes[i].DC + boxes[i].CL;
            (tl0[i], br0[i], tr0[i], bl0[i]) = (top + left, bottom + right, top + right, bottom + left);
        }
        Vector<double> Sum(int i, int c) =>
            Vector.Max(new Vector<double>(v, tl0[i] + c) + new Vector<double>(v, br0[i] + c) - new Vector<double>(v, tr0[i] + c) - new Vector<double>(v, bl0[i] + c),
                Vector<double>.Zero);
        var weight = new Vector<double>(-k.Weight);
        var minusThree = new Vector<double>(-3.0);
        var minusPoint81 = new Vector<double>(-0.81);
        int n = Vector<double>.Count, c0 = lo;
        Span<double> det = stackalloc double[n];
        for (; c0 + n <= hi; c0 += n)
        {
            // the box order of Kernel: 0 bottom-left, 1 top-right, 2 top-left, 3 bottom-right, 4/5 x mid/side, 6/7 y mid/side
            var dxy = (Sum(0, c0) + Sum(1, c0) - Sum(2, c0) - Sum(3, c0)) * weight;
            var dxx = (Sum(5, c0) * minusThree + Sum(4, c0)) * weight;
            var dyy = (Sum(7, c0) * minusThree + Sum(6, c0)) * weight;
            (dxy * dxy * minusPoint81 + dxx * dyy).CopyTo(det);
            for (int j = 0; j < n; j++) output[c0 + j] = (float)det[j];
        }
        for (; c0 < hi; c0++) output[c0] = AtPixel(ii, k, r, c0);
    }

    /// <summary>The determinant at one pixel, written exactly as skimage's per-pixel loop (the test oracle for <see cref="Compute"/>).</summary>
    internal static float AtPixel(IntegralImage ii, double sigma, int r, int c) => AtPixel(ii, KernelFor(sigma), r, c);

    private static float AtPixel(IntegralImage ii, Kernel k, int r, int c)
    {
        double dxy = -(Integ(ii, k.BottomLeft, r, c) + Integ(ii, k.TopRight, r, c) - Integ(ii, k.TopLeft, r, c) - Integ(ii, k.BottomRight, r, c)) * k.Weight;
        double dxx = -(Integ(ii, k.XMid, r, c) - 3 * Integ(ii, k.XSide, r, c)) * k.Weight;
        double dyy = -(Integ(ii, k.YMid, r, c) - 3 * Integ(ii, k.YSide, r, c)) * k.Weight;
        return (float)(dxx * dyy - 0.81 * dxy * dxy);
    }

    private static double Integ(IntegralImage ii, Box b, int r, int c)
    {
        int h1 = ii.Height - 1, w1 = ii.Width - 1;
        int r0 = Math.Clamp(r + b.DR, 0, h1), c0 = Math.Clamp(c + b.DC, 0, w1);
        int r2 = Math.Clamp(r + b.DR + b.RL, 0, h1), c2 = Math.Clamp(c + b.DC + b.CL, 0, w1);
        var v = ii.Values;
        int w = ii.Width;
        double ans = v[r0 * w + c0] + v[r2 * w + c2] - v[r0 * w + c2] - v[r2 * w + c0];
        return ans < 0 ? 0 : ans;
    }
}
