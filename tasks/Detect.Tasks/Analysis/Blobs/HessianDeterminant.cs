using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Detect.Tasks.Analysis.Blobs;

/// <summary>
/// Box-filter approximation of the determinant of the Hessian (SURF), bit for bit as scikit-image 0.19's
/// <c>_hessian_matrix_det</c> (pythran, <c>_hessian_det_appx_pythran.py</c>): det = Dxx·Dyy − 0.81·(Dxy·Dxy) in float64.
/// </summary>
/// <remarks>
/// Clipping at the raster edge follows skimage's <c>_integ</c> exactly: the box's first row and column are clipped to the
/// raster and its last row and column are the <em>clipped</em> first ones plus the box length, clipped again
/// (<c>r = clip(r); r2 = clip(r + rl)</c>). Clipping the far corner from the unclipped start instead gives different
/// boxes near every edge (the cause of the edge blobs Detect used to miss).
/// </remarks>
internal static class HessianDeterminant
{
    /// <summary>One box: start row r+DR, RL rows on, start col c+DC, CL cols on (as skimage's <c>_integ</c> arguments).</summary>
    internal readonly record struct Box(int DR, int RL, int DC, int CL);

    /// <summary>The eight boxes of one scale, in the order <see cref="Row"/> combines them, and the weight 1/size².</summary>
    internal sealed record Kernel(Box[] Boxes, double Weight)
    {
        public const int BottomLeft = 0, TopRight = 1, TopLeft = 2, BottomRight = 3, XMid = 4, XSide = 5, YMid = 6, YSide = 7;
    }

    internal static Kernel KernelFor(double sigma)
    {
        int size = (int)(3 * sigma);       // skimage: int(3 * sigma); w and the weight use this size unchanged
        int s2 = (size - 1) / 2, s3 = size / 3, w = size;
        return new Kernel(
        [
            new(-s3, s3, 1, s3),                  // bottom left  (skimage's names)
            new(1, s3, -s3, s3),                  // top right
            new(-s3, s3, -s3, s3),                // top left
            new(1, s3, 1, s3),                    // bottom right
            new(-s3 + 1, 2 * s3 - 1, -s2, w),     // Dxx middle
            new(-s3 + 1, 2 * s3 - 1, -s3 / 2, s3), // Dxx sides
            new(-s2, w, -s3 + 1, 2 * s3 - 1),     // Dyy middle
            new(-s3 / 2, s3, -s3 + 1, 2 * s3 - 1), // Dyy sides
        ], 1.0 / size / size);
    }

    /// <summary>The first and last integral-image rows that row <paramref name="r"/>'s boxes read.</summary>
    internal static (int First, int Last) RowsRead(Kernel k, int r, int height)
    {
        int first = int.MaxValue, last = int.MinValue;
        foreach (var b in k.Boxes)
        {
            var (top, bottom) = Clip(r, b.DR, b.RL, height - 1);
            first = Math.Min(first, top);
            last = Math.Max(last, bottom);
        }
        return (first, last);
    }

    /// <summary>skimage <c>_integ</c>'s clipping of one axis: start clipped, end = clipped start + length, clipped.</summary>
    private static (int Start, int End) Clip(int at, int offset, int length, int max)
    {
        int start = Math.Clamp(at + offset, 0, max);
        return (start, Math.Clamp(start + length, 0, max));
    }

    /// <summary>
    /// One row of determinants. Columns where no box reaches past the left or right edge are computed a vector at a
    /// time (vector loads of the table at each box corner); the few edge columns one by one (<c>EdgePixel</c>). Both do the
    /// same IEEE operations in the same order as skimage (no fused multiply-add; the JIT never contracts), so the
    /// values are identical, not just close (HessianDeterminantTests compares every pixel).
    /// </summary>
    public static void Row(IntegralImage ii, Kernel k, int r, Span<double> output)
    {
        int w = ii.Width, w1 = w - 1, h1 = ii.Height - 1;
        var boxes = k.Boxes;
        int lo = 0, hi = w;
        foreach (var b in boxes)
        {
            lo = Math.Max(lo, Math.Clamp(-b.DC, 0, w));
            hi = Math.Min(hi, Math.Clamp(w1 - b.DC - b.CL + 1, 0, w));
        }
        hi = Math.Max(hi, lo);

        // per box: where its first and last rows start in the table's storage
        Span<int> tops = stackalloc int[8], bottoms = stackalloc int[8];
        for (int i = 0; i < 8; i++)
        {
            var (top, bottom) = Clip(r, boxes[i].DR, boxes[i].RL, h1);
            (tops[i], bottoms[i]) = (ii.RowStart(top), ii.RowStart(bottom));
        }
        ref double v = ref MemoryMarshal.GetArrayDataReference(ii.Values);
        for (int c = 0; c < lo; c++) output[c] = EdgePixel(ref v, boxes, tops, bottoms, k.Weight, c, w1);
        for (int c = hi; c < w; c++) output[c] = EdgePixel(ref v, boxes, tops, bottoms, k.Weight, c, w1);
        if (hi == lo) return;

        // per box: its top-left, bottom-right, top-right and bottom-left corners for column 0 (no column clipping in [lo, hi))
        Span<int> corners = stackalloc int[32];
        for (int i = 0; i < 8; i++)
        {
            int left = boxes[i].DC, right = boxes[i].DC + boxes[i].CL;
            corners[4 * i] = tops[i] + left;
            corners[4 * i + 1] = bottoms[i] + right;
            corners[4 * i + 2] = tops[i] + right;
            corners[4 * i + 3] = bottoms[i] + left;
        }
        ref double o = ref MemoryMarshal.GetReference(output);
        var minusWeight = new Vector<double>(-k.Weight);
        var minusThree = new Vector<double>(-3.0);
        var minusPoint81 = new Vector<double>(-0.81);
        int n = Vector<double>.Count, c0 = lo;
        for (; c0 + n <= hi; c0 += n)
        {
            // dxy = -(bl + tr - tl - br)·w_i; dxx = -(mid - 3·side)·w_i, where −3·side + mid is the same IEEE sum; dyy alike
            var dxy = (BoxSums(ref v, corners, Kernel.BottomLeft, c0) + BoxSums(ref v, corners, Kernel.TopRight, c0)
                - BoxSums(ref v, corners, Kernel.TopLeft, c0) - BoxSums(ref v, corners, Kernel.BottomRight, c0)) * minusWeight;
            var dxx = (BoxSums(ref v, corners, Kernel.XSide, c0) * minusThree + BoxSums(ref v, corners, Kernel.XMid, c0)) * minusWeight;
            var dyy = (BoxSums(ref v, corners, Kernel.YSide, c0) * minusThree + BoxSums(ref v, corners, Kernel.YMid, c0)) * minusWeight;
            // dxx·dyy − 0.81·(dxy·dxy), written as (dxy·dxy)·(−0.81) + dxx·dyy: the same two roundings
            (dxy * dxy * minusPoint81 + dxx * dyy).StoreUnsafe(ref o, (nuint)c0);
        }
        for (; c0 < hi; c0++) output[c0] = EdgePixel(ref v, boxes, tops, bottoms, k.Weight, c0, w1);
    }

    /// <summary>skimage's box sum <c>img[r, c] + img[r2, c2] - img[r, c2] - img[r2, c]</c>, <c>max(0., ans)</c>, for a vector of columns.</summary>
    private static Vector<double> BoxSums(ref double v, ReadOnlySpan<int> corners, int box, int c) =>
        Vector.Max(Vector.LoadUnsafe(ref v, (nuint)(corners[4 * box] + c)) + Vector.LoadUnsafe(ref v, (nuint)(corners[4 * box + 1] + c))
            - Vector.LoadUnsafe(ref v, (nuint)(corners[4 * box + 2] + c)) - Vector.LoadUnsafe(ref v, (nuint)(corners[4 * box + 3] + c)),
            Vector<double>.Zero);

    /// <summary>One pixel whose boxes may be clipped sideways; the box rows are already clipped (their starts given).</summary>
    private static double EdgePixel(ref double v, Box[] boxes, ReadOnlySpan<int> tops, ReadOnlySpan<int> bottoms, double weight, int c, int w1)
    {
        Span<double> sum = stackalloc double[8];
        for (int i = 0; i < 8; i++)
        {
            var (c0, c2) = Clip(c, boxes[i].DC, boxes[i].CL, w1);
            double ans = Unsafe.Add(ref v, tops[i] + c0) + Unsafe.Add(ref v, bottoms[i] + c2) - Unsafe.Add(ref v, tops[i] + c2) - Unsafe.Add(ref v, bottoms[i] + c0);
            sum[i] = Math.Max(0.0, ans);
        }
        return Combine(sum, weight);
    }

    /// <summary>skimage's combination of the eight box sums into the determinant.</summary>
    private static double Combine(ReadOnlySpan<double> sum, double weight)
    {
        double dxy = sum[Kernel.BottomLeft] + sum[Kernel.TopRight] - sum[Kernel.TopLeft] - sum[Kernel.BottomRight];
        dxy = -dxy * weight;
        double dxx = sum[Kernel.XMid] - 3 * sum[Kernel.XSide];
        dxx = -dxx * weight;
        double dyy = sum[Kernel.YMid] - 3 * sum[Kernel.YSide];
        dyy = -dyy * weight;
        return dxx * dyy - 0.81 * (dxy * dxy);
    }

    /// <summary>The determinant at one pixel, written as skimage's per-pixel loop (the test oracle for <see cref="Row"/>).</summary>
    internal static double AtPixel(IntegralImage ii, Kernel k, int r, int c)
    {
        Span<double> sum = stackalloc double[8];
        for (int i = 0; i < 8; i++) sum[i] = Integ(ii, k.Boxes[i], r, c);
        return Combine(sum, k.Weight);
    }

    /// <summary>skimage <c>_integ</c>: the box sum from four table corners, negative sums (rounding) as 0.</summary>
    private static double Integ(IntegralImage ii, Box b, int r, int c)
    {
        var (r0, r2) = Clip(r, b.DR, b.RL, ii.Height - 1);
        var (c0, c2) = Clip(c, b.DC, b.CL, ii.Width - 1);
        var v = ii.Values;
        int top = ii.RowStart(r0), bottom = ii.RowStart(r2);
        double ans = v[top + c0] + v[bottom + c2] - v[top + c2] - v[bottom + c0];
        return Math.Max(0.0, ans);
    }
}
