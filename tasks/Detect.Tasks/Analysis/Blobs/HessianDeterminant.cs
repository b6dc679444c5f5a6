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
        Box XMid, Box XSide, Box YMid, Box YSide, double Weight)
    {
        public IEnumerable<Box> All => [TopLeft, BottomRight, BottomLeft, TopRight, XMid, XSide, YMid, YSide];
    }

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

    /// <summary>Writes the determinant for every pixel into <paramref name="output"/> (row-major, Width·Height).</summary>
    public static void Compute(IntegralImage ii, double sigma, Span<float> output)
    {
        var k = KernelFor(sigma);
        int h = ii.Height, w = ii.Width;
        int rowMin = k.All.Min(b => b.DR), rowMax = k.All.Max(b => b.DR + b.RL);
        int colMin = k.All.Min(b => b.DC), colMax = k.All.Max(b => b.DC + b.CL);
        // Pixels whose every box lies inside the raster need no clipping: do their columns as vector row operations.
        int cLo = Math.Max(0, -colMin), cHi = Math.Min(w, w - 1 - colMax + 1);
        int interiorCols = Math.Max(0, cHi - cLo);
        var scratch = new RowScratch(interiorCols);
        for (int r = 0; r < h; r++)
        {
            var outRow = output.Slice(r * w, w);
            bool rowInterior = r + rowMin >= 0 && r + rowMax <= h - 1;
            if (rowInterior && interiorCols > 0)
            {
                for (int c = 0; c < cLo; c++) outRow[c] = PixelClipped(ii, k, r, c);
                InteriorRow(ii, k, r, cLo, interiorCols, scratch, outRow.Slice(cLo, interiorCols));
                for (int c = cHi; c < w; c++) outRow[c] = PixelClipped(ii, k, r, c);
            }
            else
            {
                for (int c = 0; c < w; c++) outRow[c] = PixelClipped(ii, k, r, c);
            }
        }
    }

    private sealed class RowScratch(int n)
    {
        public readonly double[] A = new double[n], B = new double[n], Dxx = new double[n], Dyy = new double[n], Dxy = new double[n];
    }

    private static void InteriorRow(IntegralImage ii, Kernel k, int r, int c0, int n, RowScratch s, Span<float> output)
    {
        // Dxy = -(bl + tr - tl - br)·weight
        BoxRow(ii, k.BottomLeft, r, c0, n, s.Dxy);
        BoxRow(ii, k.TopRight, r, c0, n, s.A); TensorPrimitives.Add(s.Dxy, s.A, s.Dxy);
        BoxRow(ii, k.TopLeft, r, c0, n, s.A); TensorPrimitives.Subtract(s.Dxy, s.A, s.Dxy);
        BoxRow(ii, k.BottomRight, r, c0, n, s.A); TensorPrimitives.Subtract(s.Dxy, s.A, s.Dxy);
        TensorPrimitives.Multiply(s.Dxy, -k.Weight, s.Dxy);
        // Dxx = -(mid - 3·side)·weight, likewise Dyy
        BoxRow(ii, k.XMid, r, c0, n, s.A); BoxRow(ii, k.XSide, r, c0, n, s.B);
        TensorPrimitives.MultiplyAdd(s.B, -3.0, s.A, s.Dxx); TensorPrimitives.Multiply(s.Dxx, -k.Weight, s.Dxx);
        BoxRow(ii, k.YMid, r, c0, n, s.A); BoxRow(ii, k.YSide, r, c0, n, s.B);
        TensorPrimitives.MultiplyAdd(s.B, -3.0, s.A, s.Dyy); TensorPrimitives.Multiply(s.Dyy, -k.Weight, s.Dyy);
        // det = Dxx·Dyy − 0.81·Dxy²
        TensorPrimitives.Multiply(s.Dxy, s.Dxy, s.A);
        TensorPrimitives.Multiply(s.Dxx, s.Dyy, s.B);
        TensorPrimitives.MultiplyAdd(s.A, -0.81, s.B, s.A);
        for (int i = 0; i < n; i++) output[i] = (float)s.A[i];
    }

    /// <summary>Box sums for n consecutive pixels of row r starting at column c0 (no clipping needed); negative sums → 0.</summary>
    private static void BoxRow(IntegralImage ii, Box b, int r, int c0, int n, Span<double> dst)
    {
        var top = ii.Row(r + b.DR);
        var bottom = ii.Row(r + b.DR + b.RL);
        int left = c0 + b.DC, right = left + b.CL;
        // ii[top,left] + ii[bottom,right] - ii[top,right] - ii[bottom,left]
        TensorPrimitives.Add(top.Slice(left, n), bottom.Slice(right, n), dst);
        TensorPrimitives.Subtract(dst, top.Slice(right, n), dst);
        TensorPrimitives.Subtract(dst, bottom.Slice(left, n), dst);
        TensorPrimitives.Max(dst, 0.0, dst);
    }

    private static float PixelClipped(IntegralImage ii, Kernel k, int r, int c)
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
