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
        // A big blob responds at several scales and neighbouring pixels: pruning must leave exactly one blob.
        var img = Gaussians(300, 300, (150, 150, 30));
        ShouldMatch(BlobDetector.Detect(img, 300, 300, new BlobOptions { PredThreshold = 0.2f }), (150, 150));
    }

    [Fact]
    public void Disc_overlap_fraction_matches_the_analytic_lens_area()
    {
        // Equal discs of radius 1 with centres 1 apart: lens area = 2·acos(1/2) − √3/2.
        double expected = (2 * Math.Acos(0.5) - Math.Sqrt(3) / 2) / Math.PI;
        double sigma = 5, radius = sigma * Math.Sqrt(2);
        BlobPruning.OverlapFraction(0, 0, sigma, 0, radius, sigma).Should().BeApproximately(expected, 1e-12);
        BlobPruning.OverlapFraction(0, 0, sigma, 0, 2.01 * radius, sigma).Should().Be(0);
        BlobPruning.OverlapFraction(0, 0, 10, 1, 1, 2).Should().Be(1);
    }

    [Fact]
    public void Sigmas_are_numpy_linspace()
    {
        new BlobOptions().Sigmas().Should().Equal(
            new[] { 3.5, 14.222222222222221, 24.944444444444443, 35.666666666666664, 46.388888888888886, 57.111111111111107, 67.833333333333329, 78.55555555555555, 89.277777777777771, 100.0 },
            (a, b) => Math.Abs(a - b) < 1e-9);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(10)]
    public void Holding_three_scale_planes_at_a_time_finds_exactly_what_the_whole_cube_finds(int numSigma)
    {
        // many overlapping blobs of all sizes plus noise above the threshold: peaks on every scale, edges and pruning
        var rng = new Random(17);
        var planted = Enumerable.Range(0, 25).Select(_ => (rng.Next(0, 240), rng.Next(0, 260), 3 + 25 * rng.NextDouble())).ToArray();
        var img = Gaussians(260, 240, planted.Select(p => ((double)p.Item1, (double)p.Item2, p.Item3)).ToArray());
        for (int i = 0; i < img.Length; i += 5) img[i] = Math.Max(img[i], (float)(0.9 * rng.NextDouble()));
        var o = new BlobOptions { NumSigma = numSigma, MaxSigma = numSigma == 1 ? 3.5 : 60 };

        var ii = IntegralImage.FromHeatmap(img, 260, 240, o.PredThreshold);
        var sigmas = o.Sigmas();
        var cube = sigmas.Select(sigma => { var plane = new float[260 * 240]; HessianDeterminant.Compute(ii, sigma, plane); return plane; }).ToArray();
        var whole = BlobPruning.Prune(ScaleSpacePeaks.Find(cube, 260, 240, o.Threshold, o.ExcludeBorder)
            .Select(p => new Blob(p.Row, p.Col, sigmas[p.Scale])).ToList(), o.Overlap);

        whole.Should().HaveCountGreaterThan(numSigma == 1 ? 3 : 10);
        BlobDetector.Detect(img, 260, 240, o).Should().Equal(whole);
    }

    [Fact]
    public void Bad_input_names_the_problem()
    {
        var act = () => BlobDetector.Detect(new float[10], 4, 4);
        act.Should().Throw<ArgumentException>().WithMessage("*10 values*4·4*");
        var act2 = () => BlobDetector.Detect(new float[16], 4, 4, new BlobOptions { MaxSigma = 1, MinSigma = 3 });
        act2.Should().Throw<ArgumentException>().WithMessage("*MaxSigma*");
    }
}

public class HessianDeterminantTests
{
    [Theory]
    [InlineData(3.5)]
    [InlineData(14.222222222222221)]
    [InlineData(46.388888888888886)]
    [InlineData(100)]
    public void Vectorised_rows_equal_the_per_pixel_skimage_formula_exactly_everywhere_including_borders(double sigma)
    {
        const int w = 130, h = 90;
        var rng = new Random(3);
        var img = Enumerable.Range(0, w * h).Select(_ => (float)rng.NextDouble()).ToArray();
        var ii = IntegralImage.FromHeatmap(img, w, h, 0.5f);
        var fast = new float[w * h];
        HessianDeterminant.Compute(ii, sigma, fast);
        for (int r = 0; r < h; r++)
            for (int c = 0; c < w; c++)
                fast[r * w + c].Should().Be(HessianDeterminant.AtPixel(ii, sigma, r, c), $"pixel ({r}, {c}): the same operations in the same order");
    }
}
