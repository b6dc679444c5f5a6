using OpenCvSharp;

namespace Detect.Tasks.Analysis.Contours;

/// <summary>
/// The frame filters of the contour step done by OpenCV (OpenCvSharp4), on float32 images: <c>cv::resize</c>
/// INTER_CUBIC (Keys a = −0.75, half-pixel centres, replicated edges) and <c>cv::GaussianBlur</c> (kernel
/// exp(−x²/2σ²) normalised, BORDER_REFLECT_101). The tests check both against hand-written versions of those
/// formulas (tests/.../Analysis/Contours/ContourOracles.cs). NaN (nodata) spreads to every output pixel whose kernel
/// touches it.
/// </summary>
public static class OpenCvFilters
{
    // OpenCV's native library must be loaded the careful way before OpenCvSharp touches it (see OpenCvLibrary).
    static OpenCvFilters() => Native.OpenCvLibrary.EnsureLoaded();

    public static unsafe float[] UpsampleBicubic(ReadOnlySpan<float> src, int width, int height, int factor)
    {
        if (factor < 1) throw new ArgumentOutOfRangeException(nameof(factor), factor, "Upsample factor must be >= 1.");
        if (src.Length != width * height) throw new ArgumentException($"Raster has {src.Length} values, expected {width}x{height}.");
        var output = new float[width * factor * (height * factor)];
        fixed (float* s = src)
        fixed (float* d = output)
        {
            using var input = Mat.FromPixelData(height, width, MatType.CV_32FC1, (IntPtr)s);
            using var result = Mat.FromPixelData(height * factor, width * factor, MatType.CV_32FC1, (IntPtr)d);
            Cv2.Resize(input, result, new Size(width * factor, height * factor), 0, 0, InterpolationFlags.Cubic);
        }
        return output;
    }

    /// <summary>Blurs <paramref name="values"/> in place.</summary>
    public static unsafe void GaussianBlurInPlace(Span<float> values, int width, int height, int size, double sigma)
    {
        if (size < 1 || size % 2 == 0) throw new ArgumentOutOfRangeException(nameof(size), size, "Gaussian kernel size must be odd and positive.");
        if (!(sigma > 0)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "Gaussian sigma must be > 0.");
        if (values.Length != width * height) throw new ArgumentException($"Raster has {values.Length} values, expected {width}x{height}.");
        fixed (float* v = values)
        {
            using var image = Mat.FromPixelData(height, width, MatType.CV_32FC1, (IntPtr)v);
            Cv2.GaussianBlur(image, image, new Size(size, size), sigma, sigma, BorderTypes.Reflect101);
        }
    }
}
