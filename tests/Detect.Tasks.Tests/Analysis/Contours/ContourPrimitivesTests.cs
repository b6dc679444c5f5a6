using Detect.Tasks.Analysis.Contours;
using NetTopologySuite.Geometries;

namespace Detect.Tasks.Tests.Analysis.Contours;

public class ContourPrimitivesTests
{
    [Fact]
    public void Gaussian_kernel_is_normalised_symmetric_and_gaussian_and_equals_opencvs()
    {
        var k = ReferenceGaussianBlur.Kernel(33, 4);
        k.Sum().Should().BeApproximately(1f, 1e-5f);
        for (int i = 0; i < 16; i++) k[i].Should().Be(k[32 - i]);
        (k[16] / k[20]).Should().BeApproximately((float)Math.Exp(16.0 / 32), 1e-4f);
        Detect.Tasks.Native.OpenCvLibrary.EnsureLoaded();
        using var opencv = OpenCvSharp.Cv2.GetGaussianKernel(33, 4, OpenCvSharp.MatType.CV_32F)!;
        opencv.GetArray(out float[] cv);
        cv.Should().Equal(k, (a, b) => Math.Abs(a - b) < 1e-8f);
    }

    [Fact]
    public void Reflect101_mirrors_without_repeating_the_edge()
    {
        int[] expected = [2, 1, 0, 1, 2, 3, 4, 3, 2];
        Enumerable.Range(-2, 9).Select(i => ReferenceGaussianBlur.Reflect101(i, 5)).Should().Equal(expected);
    }

    [Fact]
    public void Blur_keeps_a_constant_image_and_spreads_a_point_like_the_kernel()
    {
        var flat = Enumerable.Repeat(0.7f, 50 * 40).ToArray();
        OpenCvFilters.GaussianBlurInPlace(flat, 50, 40, 33, 4);
        flat.Should().OnlyContain(v => Math.Abs(v - 0.7f) < 1e-5f);
        var dot = new float[61 * 61];
        dot[30 * 61 + 30] = 1;
        OpenCvFilters.GaussianBlurInPlace(dot, 61, 61, 33, 4);
        var k = ReferenceGaussianBlur.Kernel(33, 4);
        dot[30 * 61 + 30].Should().BeApproximately(k[16] * k[16], 1e-7f);
        dot[25 * 61 + 33].Should().BeApproximately(k[11] * k[19], 1e-7f);
    }

    [Fact]
    public void Bicubic_upsampling_keeps_constants_and_uses_opencv_weights()
    {
        var flat = Enumerable.Repeat(0.3f, 7 * 5).ToArray();
        OpenCvFilters.UpsampleBicubic(flat, 7, 5, 4).Should().OnlyContain(v => Math.Abs(v - 0.3f) < 1e-6f);
        // a single bright pixel in a row: output x=9 sits at source x = (9 + 0.5)/4 − 0.5 = 1.875, t = 0.875 from pixel 1;
        // the weight of pixel 2 is the a = −0.75 Keys kernel at distance 0.125
        float[] row = [0, 0, 1, 0, 0];
        var up = OpenCvFilters.UpsampleBicubic(row, 5, 1, 4);
        double d = 0.125, a = -0.75, keys = ((a + 2) * d - (a + 3)) * d * d + 1;
        up[9].Should().BeApproximately((float)keys, 1e-6f);
        up.Min().Should().BeLessThan(0, "the a = −0.75 kernel has negative lobes");
    }

    [Fact]
    public void OpenCV_filters_equal_the_hand_written_formulas_on_frames_with_nodata()
    {
        const int w = 61, h = 47;
        var rng = new Random(11);
        var frame = Enumerable.Range(0, w * h).Select(_ => (float)rng.NextDouble()).ToArray();
        for (int r = 20; r < 24; r++) for (int c = 10; c < 13; c++) frame[r * w + c] = float.NaN;

        var cvUp = OpenCvFilters.UpsampleBicubic(frame, w, h, 4);
        var refUp = ReferenceBicubic.Upsample(frame, w, h, 4);
        AssertClose(cvUp, refUp, 2e-6f);

        FrameContours.ClipAndQuantise(refUp);
        var cvBlur = (float[])refUp.Clone();
        OpenCvFilters.GaussianBlurInPlace(cvBlur, w * 4, h * 4, 33, 4);
        AssertClose(cvBlur, ReferenceGaussianBlur.Apply(refUp, w * 4, h * 4, 33, 4), 2e-6f);
        cvBlur.Count(float.IsNaN).Should().BeGreaterThan(0, "nodata spreads through the kernel, as in the hand-written blur");
    }

    private static void AssertClose(float[] actual, float[] expected, float tolerance)
    {
        actual.Should().HaveCount(expected.Length);
        for (int i = 0; i < actual.Length; i++)
        {
            float.IsNaN(actual[i]).Should().Be(float.IsNaN(expected[i]), $"NaN at the same pixels (index {i})");
            if (!float.IsNaN(actual[i])) Math.Abs(actual[i] - expected[i]).Should().BeLessThan(tolerance, $"index {i}");
        }
    }

    [Fact]
    public void Ellipsoidal_area_of_a_one_degree_cell_matches_numerical_integration()
    {
        var f = new GeometryFactory();
        foreach (double lat in new[] { 0.0, 45.0, 80.0 })
        {
            var cell = f.CreatePolygon([new(179.5, lat), new(180.5, lat), new(180.5, lat + 1), new(179.5, lat + 1), new(179.5, lat)]);
            PolygonArea.SquareKilometres(cell, geographic: true).Should().BeApproximately(IntegratedCellKm2(lat), 1e-6 * IntegratedCellKm2(lat));
        }
    }

    /// <summary>∫∫ M(φ)·N(φ)·cos φ dφ dλ over a 1°×1° cell on WGS84 (Simpson's rule).</summary>
    private static double IntegratedCellKm2(double lat0)
    {
        const double a = 6378137, f = 1 / 298.257223563;
        double e2 = f * (2 - f);
        double Integrand(double phi)
        {
            double s = Math.Sin(phi), w = 1 - e2 * s * s;
            return a * (1 - e2) / Math.Pow(w, 1.5) * (a / Math.Sqrt(w)) * Math.Cos(phi);
        }
        int n = 2000;
        double p0 = lat0 * Math.PI / 180, h = Math.PI / 180 / n, sum = Integrand(p0) + Integrand(p0 + n * h);
        for (int i = 1; i < n; i++) sum += (i % 2 == 1 ? 4 : 2) * Integrand(p0 + i * h);
        return sum * h / 3 * (Math.PI / 180) / 1e6;
    }

    [Fact]
    public void Rolling_median_mask_keeps_persistent_pixels_and_drops_flicker()
    {
        const int w = 3, h = 1;
        // pixel 0 persistent, pixel 1 appears in one frame only, pixel 2 present in the last 5 frames
        var frames = Enumerable.Range(0, 10).Select(t => new float[] { 0.6f, t == 4 ? 0.9f : 0f, t >= 5 ? 0.8f : 0f }).ToList();
        var masked = RollingMedianMask.Apply(frames, w, h);
        masked.Should().OnlyContain(f => f[0] == 0.6f);
        masked.Should().OnlyContain(f => f[1] == 0f);
        // frame 9's window is frames 5..9 (clipped): median 0.8 → kept; frame 2's window 0..5 has one 0.8 → dropped
        masked[9][2].Should().Be(0.8f);
        masked[2][2].Should().Be(0f);
        // frame 5's window 1..8: four 0.8s and four 0s → median 0.4 > 0.1 → kept
        masked[5][2].Should().Be(0.8f);
    }
}
