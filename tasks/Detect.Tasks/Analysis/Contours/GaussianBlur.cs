using System.Numerics.Tensors;

namespace Detect.Tasks.Analysis.Contours;

/// <summary>
/// Separable Gaussian blur as OpenCV <c>GaussianBlur(src, (k, k), sigma)</c>: kernel weights exp(−x²/2σ²) normalised to
/// sum 1, borders reflected without repeating the edge pixel (BORDER_REFLECT_101). Both passes are vector row operations.
/// </summary>
public static class GaussianBlur
{
    public static float[] Kernel(int size, double sigma)
    {
        if (size < 1 || size % 2 == 0) throw new ArgumentOutOfRangeException(nameof(size), size, "Gaussian kernel size must be odd and positive.");
        if (!(sigma > 0)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "Gaussian sigma must be > 0.");
        var k = new double[size];
        int half = size / 2;
        for (int i = 0; i < size; i++) k[i] = Math.Exp(-(i - half) * (i - half) / (2 * sigma * sigma));
        double sum = k.Sum();
        return k.Select(v => (float)(v / sum)).ToArray();
    }

    public static float[] Apply(ReadOnlySpan<float> src, int width, int height, int size, double sigma)
    {
        if (src.Length != width * height) throw new ArgumentException($"Raster has {src.Length} values, expected {width}x{height}.");
        var kernel = Kernel(size, sigma);
        int half = size / 2;
        var horizontal = new float[width * height];
        var padded = new float[width + 2 * half];
        for (int r = 0; r < height; r++)
        {
            var row = src.Slice(r * width, width);
            for (int i = 0; i < padded.Length; i++) padded[i] = row[Reflect101(i - half, width)];
            var dst = horizontal.AsSpan(r * width, width);
            TensorPrimitives.Multiply(padded.AsSpan(0, width), kernel[0], dst);
            for (int k = 1; k < size; k++) TensorPrimitives.MultiplyAdd(padded.AsSpan(k, width), kernel[k], dst, dst);
        }
        var output = new float[width * height];
        for (int r = 0; r < height; r++)
        {
            var dst = output.AsSpan(r * width, width);
            for (int k = 0; k < size; k++)
            {
                var srcRow = horizontal.AsSpan(Reflect101(r + k - half, height) * width, width);
                if (k == 0) TensorPrimitives.Multiply(srcRow, kernel[0], dst);
                else TensorPrimitives.MultiplyAdd(srcRow, kernel[k], dst, dst);
            }
        }
        return output;
    }

    /// <summary>OpenCV BORDER_REFLECT_101: …, 2, 1 | 0, 1, 2, …, n−1 | n−2, n−3, …</summary>
    internal static int Reflect101(int i, int n)
    {
        if (n == 1) return 0;
        while (i < 0 || i >= n) i = i < 0 ? -i : 2 * n - 2 - i;
        return i;
    }
}
