namespace Detect.Tasks.Analysis.Blobs;

/// <summary>Inclusive summed-area table: <c>At(r, c)</c> = sum of all pixels with row ≤ r and col ≤ c
/// (scikit-image <c>integral_image</c>).</summary>
internal sealed class IntegralImage
{
    public int Width { get; }
    public int Height { get; }
    public double[] Values { get; }

    private IntegralImage(int width, int height, double[] values) { Width = width; Height = height; Values = values; }

    /// <summary>Builds the table from a heatmap, treating NaN (nodata) and values below <paramref name="zeroBelow"/> as 0.</summary>
    public static IntegralImage FromHeatmap(ReadOnlySpan<float> pixels, int width, int height, float zeroBelow)
    {
        var ii = new double[(long)width * height];
        for (int r = 0; r < height; r++)
        {
            var src = pixels.Slice(r * width, width);
            var dst = ii.AsSpan(r * width, width);
            double running = 0;
            for (int c = 0; c < width; c++)
            {
                float v = src[c];
                if (!(v >= zeroBelow)) v = 0; // NaN fails every comparison, so it is zeroed too
                running += v;
                dst[c] = running;
            }
            if (r > 0) System.Numerics.Tensors.TensorPrimitives.Add(dst, ii.AsSpan((r - 1) * width, width), dst);
        }
        return new IntegralImage(width, height, ii);
    }

    public ReadOnlySpan<double> Row(int r) => Values.AsSpan(r * Width, Width);
}
