using System.Numerics.Tensors;

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
        Parallel.For(0, (h + RowsPerChunk - 1) / RowsPerChunk, () => new RowScratch(w), (chunk, _, s) =>
        {
            for (int r = chunk * RowsPerChunk, end = Math.Min(h, r + RowsPerChunk); r < end; r++)
                Row(ii, k, r, s, output.AsSpan((int)((long)r * w), w));
            return s;
        }, _ => { });
    }

    private sealed class RowScratch(int n)
    {
        public readonly double[] A = new double[n], B = new double[n], Dxx = new double[n], Dyy = new double[n], Dxy = new double[n];
    }

    private static void Row(IntegralImage ii, Kernel k, int r, RowScratch s, Span<float> output)
    {
        // Dxy = -(bl + tr - tl - br)·weight
        BoxRow(ii, k.BottomLeft, r, s.Dxy);
        BoxRow(ii, k.TopRight, r, s.A); TensorPrimitives.Add(s.Dxy, s.A, s.Dxy);
        BoxRow(ii, k.TopLeft, r, s.A); TensorPrimitives.Subtract(s.Dxy, s.A, s.Dxy);
        BoxRow(ii, k.BottomRight, r, s.A); TensorPrimitives.Subtract(s.Dxy, s.A, s.Dxy);
        TensorPrimitives.Multiply(s.Dxy, -k.Weight, s.Dxy);
        // Dxx = -(mid - 3·side)·weight, likewise Dyy
        BoxRow(ii, k.XMid, r, s.A); BoxRow(ii, k.XSide, r, s.B);
        TensorPrimitives.MultiplyAdd(s.B, -3.0, s.A, s.Dxx); TensorPrimitives.Multiply(s.Dxx, -k.Weight, s.Dxx);
        BoxRow(ii, k.YMid, r, s.A); BoxRow(ii, k.YSide, r, s.B);
        TensorPrimitives.MultiplyAdd(s.B, -3.0, s.A, s.Dyy); TensorPrimitives.Multiply(s.Dyy, -k.Weight, s.Dyy);
        // det = Dxx·Dyy − 0.81·Dxy²
        TensorPrimitives.Multiply(s.Dxy, s.Dxy, s.A);
        TensorPrimitives.Multiply(s.Dxx, s.Dyy, s.B);
        TensorPrimitives.MultiplyAdd(s.A, -0.81, s.B, s.A);
        for (int i = 0; i < output.Length; i++) output[i] = (float)s.A[i];
    }

    /// <summary>
    /// One box's sum for every pixel of row r (negative sums → 0). Rows are clipped once for the whole row (skimage clips
    /// each corner independently, which is the same thing); columns where the box lies inside the raster are vector
    /// slices, the few columns where it sticks out are clipped one by one.
    /// </summary>
    private static void BoxRow(IntegralImage ii, Box b, int r, Span<double> dst)
    {
        int h1 = ii.Height - 1, w = ii.Width, w1 = w - 1;
        var top = ii.Row(Math.Clamp(r + b.DR, 0, h1));
        var bottom = ii.Row(Math.Clamp(r + b.DR + b.RL, 0, h1));
        int lo = Math.Clamp(-b.DC, 0, w), hi = Math.Clamp(w1 - b.DC - b.CL + 1, lo, w); // c in [lo, hi): no column clipping
        for (int c = 0; c < lo; c++) dst[c] = Corners(top, bottom, Math.Clamp(c + b.DC, 0, w1), Math.Clamp(c + b.DC + b.CL, 0, w1));
        int n = hi - lo;
        if (n > 0)
        {
            int left = lo + b.DC, right = left + b.CL;
            var d = dst.Slice(lo, n);
            // ii[top,left] + ii[bottom,right] - ii[top,right] - ii[bottom,left]
            TensorPrimitives.Add(top.Slice(left, n), bottom.Slice(right, n), d);
            TensorPrimitives.Subtract(d, top.Slice(right, n), d);
            TensorPrimitives.Subtract(d, bottom.Slice(left, n), d);
            TensorPrimitives.Max(d, 0.0, d);
        }
        for (int c = hi; c < w; c++) dst[c] = Corners(top, bottom, Math.Clamp(c + b.DC, 0, w1), Math.Clamp(c + b.DC + b.CL, 0, w1));
    }

    private static double Corners(ReadOnlySpan<double> top, ReadOnlySpan<double> bottom, int c0, int c2)
    {
        double ans = top[c0] + bottom[c2] - top[c2] - bottom[c0];
        return ans < 0 ? 0 : ans;
    }

    /// <summary>The determinant at one pixel, written exactly as skimage's per-pixel loop (the test oracle for <see cref="Compute"/>).</summary>
    internal static float AtPixel(IntegralImage ii, double sigma, int r, int c)
    {
        var k = KernelFor(sigma);
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
