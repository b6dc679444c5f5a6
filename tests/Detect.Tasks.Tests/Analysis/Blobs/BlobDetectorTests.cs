using Detect.Tasks.Analysis.Blobs;

namespace Detect.Tasks.Tests.Analysis.Blobs;

public class BlobDetectorTests
{
    private static float[] Gaussians(int width, int height, params (double Row, double Col, double Sigma)[] blobs)
    {
        var img = new float[width * height];
        for (int r = 0; r < height; r++)
            for (int c = 0; c < width; c++)
            {
                double v = 0;
                foreach (var b in blobs)
                    v += Math.Exp(-((r - b.Row) * (r - b.Row) + (c - b.Col) * (c - b.Col)) / (2 * b.Sigma * b.Sigma));
                img[r * width + c] = (float)Math.Min(1, v);
            }
        return img;
    }

    private static void ShouldMatch(IReadOnlyList<Blob> found, params (double Row, double Col)[] expected)
    {
        found.Should().HaveCount(expected.Length, "found: " + string.Join(", ", found));
        foreach (var e in expected)
            found.Should().Contain(b => Math.Abs(b.Row - e.Row) <= 1 && Math.Abs(b.Col - e.Col) <= 1,
                $"a blob is planted at ({e.Row}, {e.Col}); found: {string.Join(", ", found)}");
    }

    [Fact]
    public void Finds_gaussian_blobs_of_several_sizes_within_one_pixel_with_default_parameters()
    {
        var planted = new[] { (60.0, 50.0, 6.0), (150.0, 200.0, 12.0), (220.0, 70.0, 20.0) };
        var img = Gaussians(300, 280, planted);
        var found = BlobDetector.Detect(img, 300, 280);
        ShouldMatch(found, planted.Select(p => (p.Item1, p.Item2)).ToArray());
    }

    [Fact]
    public void Larger_blobs_are_found_at_larger_scales()
    {
        var img = Gaussians(300, 300, (80, 80, 5), (200, 200, 25));
        var found = BlobDetector.Detect(img, 300, 300, new BlobOptions { PredThreshold = 0.1f });
        var small = found.Single(b => Math.Abs(b.Row - 80) <= 1);
        var large = found.Single(b => Math.Abs(b.Row - 200) <= 1);
        large.Sigma.Should().BeGreaterThan(small.Sigma);
    }

    [Fact]
    public void Off_pixel_centres_are_found_at_an_adjacent_pixel()
    {
        // skimage's box geometry is asymmetric by up to one pixel, so allow the pixel grid step plus that bias.
        var img = Gaussians(120, 120, (40.5, 70.3, 8));
        var found = BlobDetector.Detect(img, 120, 120);
        found.Should().ContainSingle();
        Math.Abs(found[0].Row - 40.5).Should().BeLessThanOrEqualTo(1.5);
        Math.Abs(found[0].Col - 70.3).Should().BeLessThanOrEqualTo(1.5);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(0.5f)]
    public void Flat_background_below_the_prediction_threshold_gives_nothing(float level)
    {
        var img = Enumerable.Repeat(level, 200 * 200).ToArray();
        BlobDetector.Detect(img, 200, 200).Should().BeEmpty();
    }

    [Fact]
    public void Low_noise_background_gives_nothing_even_without_the_prediction_threshold()
    {
        var rng = new Random(42);
        var img = Enumerable.Range(0, 256 * 256).Select(_ => (float)(0.05 * rng.NextDouble())).ToArray();
        BlobDetector.Detect(img, 256, 256, new BlobOptions { PredThreshold = 0 }).Should().BeEmpty();
    }

    [Fact]
    public void Noisy_heatmap_below_threshold_around_a_blob_gives_only_the_blob()
    {
        var rng = new Random(7);
        var img = Gaussians(200, 200, (100, 120, 10));
        for (int i = 0; i < img.Length; i++) img[i] = Math.Min(1f, img[i] + (float)(0.6 * rng.NextDouble()));
        var found = BlobDetector.Detect(img, 200, 200);
        found.Should().Contain(b => Math.Abs(b.Row - 100) <= 1 && Math.Abs(b.Col - 120) <= 1);
    }

    [Theory]
    [InlineData(4, 100)]   // touching the top edge
    [InlineData(100, 3)]   // touching the left edge
    [InlineData(195, 100)] // touching the bottom edge
    [InlineData(100, 196)] // touching the right edge
    public void Blobs_touching_the_tile_edge_are_found(int row, int col)
    {
        // The box filters are clipped at the raster edge (as in skimage), which pulls the response a few pixels
        // inwards for a blob cut by the edge: found once, within σ/2.
        var img = Gaussians(200, 200, (row, col, 8));
        var found = BlobDetector.Detect(img, 200, 200);
        found.Should().ContainSingle();
        Math.Abs(found[0].Row - row).Should().BeLessThanOrEqualTo(4);
        Math.Abs(found[0].Col - col).Should().BeLessThanOrEqualTo(4);
    }

    [Fact]
    public void Exclude_border_drops_peaks_near_the_edge()
    {
        var img = Gaussians(200, 200, (5, 100, 8), (100, 100, 8));
        var found = BlobDetector.Detect(img, 200, 200, new BlobOptions { ExcludeBorder = 10 });
        ShouldMatch(found, (100, 100));
    }

    [Fact]
    public void Nan_nodata_is_treated_as_zero()
    {
        var img = Gaussians(160, 160, (80, 80, 8));
        var withNan = (float[])img.Clone();
        for (int r = 0; r < 160; r++) for (int c = 0; c < 40; c++) { withNan[r * 160 + c] = float.NaN; img[r * 160 + c] = 0; }
        var a = BlobDetector.Detect(img, 160, 160);
        var b = BlobDetector.Detect(withNan, 160, 160);
        b.Should().Equal(a);
        ShouldMatch(b, (80, 80));
    }

    [Fact]
    public void Overlapping_detections_are_pruned_to_one_per_blob()
    {
        // A big blob responds at several scales and neighbouring pixels: pruning leaves one blob there. The other
        // blob is skimage's too (blob_doh on this image returns (149, 149, 46.4) and (13, 14, 89.3)): at the corner
        // the clipped boxes of the largest scales see the blob's tail as a blob.
        var img = Gaussians(300, 300, (150, 150, 30));
        BlobDetector.Detect(img, 300, 300, new BlobOptions { PredThreshold = 0.2f }).Should().Equal(
            new Blob(149, 149, 46.388888888888886), new Blob(13, 14, 89.27777777777777));
    }

    [Fact]
    public void Sigmas_are_numpy_linspace_exactly()
    {
        // np.linspace(3.5, 100, 10).tolist() and np.linspace(2, 30, 7).tolist()
        new BlobOptions().Sigmas().Should().Equal(3.5, 14.222222222222221, 24.944444444444443, 35.666666666666664, 46.388888888888886,
            57.11111111111111, 67.83333333333333, 78.55555555555554, 89.27777777777777, 100.0);
        new BlobOptions { MinSigma = 2, MaxSigma = 30, NumSigma = 7 }.Sigmas().Should().Equal(
            2.0, 6.666666666666667, 11.333333333333334, 16.0, 20.666666666666668, 25.333333333333336, 30.0);
    }

    [Fact]
    public void Bad_input_names_the_problem()
    {
        var act = () => BlobDetector.Detect(new float[10], 4, 4);
        act.Should().Throw<ArgumentException>().WithMessage("*10 values*4·4*");
        var act2 = () => BlobDetector.Detect(new float[16], 4, 4, new BlobOptions { MaxSigma = 1, MinSigma = 3 });
        act2.Should().Throw<ArgumentException>().WithMessage("*MaxSigma*");
        var infinite = new float[16];
        infinite[6] = float.PositiveInfinity;
        var act3 = () => BlobDetector.Detect(infinite, 4, 4);
        act3.Should().Throw<ArgumentException>().WithMessage("*(row 1, col 2)*must be finite*");
    }
}
