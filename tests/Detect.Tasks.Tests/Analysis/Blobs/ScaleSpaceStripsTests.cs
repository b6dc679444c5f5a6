using Detect.Tasks.Analysis.Blobs;

namespace Detect.Tasks.Tests.Analysis.Blobs;

public class ScaleSpaceStripsTests
{
    [Theory]
    [InlineData(150, 300, 10, 60.0)]  // several strips; the ring is shorter than the raster
    [InlineData(120, 50, 10, 100.0)]  // one strip; boxes taller than the raster
    [InlineData(90, 200, 1, 3.5)]     // one scale: its neighbours in scale are outside the cube (0)
    [InlineData(200, 130, 2, 30.0)]
    public void Peaks_found_strip_by_strip_are_the_whole_cubes_peaks(int w, int h, int numSigma, double maxSigma)
    {
        // overlapping blobs of all sizes, edges and noise above the threshold: peaks on every scale, row and strip border
        var rng = new Random(17);
        var img = new float[w * h];
        for (int k = 0; k < 25; k++)
        {
            double row = rng.Next(h), col = rng.Next(w), sigma = 3 + 25 * rng.NextDouble();
            for (int r = 0; r < h; r++)
                for (int c = 0; c < w; c++)
                    img[r * w + c] = Math.Max(img[r * w + c], (float)Math.Exp(-((r - row) * (r - row) + (c - col) * (c - col)) / (2 * sigma * sigma)));
        }
        for (int i = 0; i < img.Length; i += 5) img[i] = Math.Max(img[i], (float)(0.9 * rng.NextDouble()));
        var o = new BlobOptions { NumSigma = numSigma, MaxSigma = maxSigma };
        var sigmas = o.Sigmas();

        var cube = SkimageOracle.Cube(img, w, h, o.PredThreshold, sigmas);
        var expected = SkimageOracle.Peaks(cube, o.Threshold).Select(p => (p.Row, p.Col, sigmas[p.Scale])).ToHashSet();
        var found = BlobDetector.Candidates(img, w, h, o).Select(b => (b.Row, b.Col, b.Sigma)).ToList();

        expected.Should().HaveCountGreaterThan(numSigma == 1 ? 3 : 10);
        found.Should().HaveCount(expected.Count);
        found.ToHashSet().SetEquals(expected).Should().BeTrue("the same peaks as the whole cube");
        // skimage's order: strongest first
        var value = found.Select(b => cube[b.Row, b.Col, Array.IndexOf(sigmas, b.Sigma)]).ToList();
        value.Should().BeInDescendingOrder();
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 1)]
    [InlineData(1, 9)]
    [InlineData(3, 2)]
    [InlineData(2, 70)]
    public void Tiny_rasters_give_the_whole_cubes_peaks(int w, int h)
    {
        var rng = new Random(w * 100 + h);
        var img = Enumerable.Range(0, w * h).Select(_ => (float)rng.NextDouble()).ToArray();
        var o = new BlobOptions { PredThreshold = 0.2f, Threshold = 1e-6, NumSigma = 4, MinSigma = 1, MaxSigma = 9 };
        var sigmas = o.Sigmas();
        var expected = SkimageOracle.Peaks(SkimageOracle.Cube(img, w, h, o.PredThreshold, sigmas), o.Threshold).Select(p => (p.Row, p.Col, sigmas[p.Scale]));
        BlobDetector.Candidates(img, w, h, o).Select(b => (b.Row, b.Col, b.Sigma)).Should().BeEquivalentTo(expected);
    }

    [Fact]
    public void A_cube_that_is_its_own_maximum_everywhere_has_no_peaks_as_in_skimage()
    {
        // an all-zero heatmap gives an all-zero cube: every voxel equals its neighbourhood maximum, which
        // peak_local_max treats as "no peaks" (even with a negative threshold)
        var img = new float[50 * 40];
        BlobDetector.Candidates(img, 50, 40, new BlobOptions { Threshold = -1 }).Should().BeEmpty();
    }

    [Fact]
    public void Negative_determinants_on_the_cube_border_are_not_peaks_since_the_outside_counts_as_zero()
    {
        var rng = new Random(5);
        var img = Enumerable.Range(0, 60 * 45).Select(_ => (float)rng.NextDouble()).ToArray();
        var o = new BlobOptions { PredThreshold = 0.3f, Threshold = -1e9, NumSigma = 3, MaxSigma = 12 };
        var sigmas = o.Sigmas();
        var cube = SkimageOracle.Cube(img, 60, 45, o.PredThreshold, sigmas);
        var expected = SkimageOracle.Peaks(cube, o.Threshold).Select(p => (p.Row, p.Col, sigmas[p.Scale])).ToList();
        var found = BlobDetector.Candidates(img, 60, 45, o).Select(b => (b.Row, b.Col, b.Sigma)).ToList();
        found.ToHashSet().SetEquals(expected).Should().BeTrue();
        found.Should().HaveCount(expected.Count);
        // the rule matters here: some negative border voxels are the maximum of their in-cube neighbours
        int h = cube.GetLength(0), w = cube.GetLength(1), n = cube.GetLength(2), negativeBorderMaxima = 0;
        for (int r = 0; r < h; r++)
            for (int c = 0; c < w; c++)
                for (int s = 0; s < n; s++)
                {
                    bool border = r == 0 || c == 0 || s == 0 || r == h - 1 || c == w - 1 || s == n - 1;
                    if (!border || cube[r, c, s] >= 0) continue;
                    bool max = true;
                    for (int dr = -1; dr <= 1; dr++)
                        for (int dc = -1; dc <= 1; dc++)
                            for (int ds = -1; ds <= 1; ds++)
                            {
                                int rr = r + dr, cc = c + dc, ss = s + ds;
                                if (rr >= 0 && rr < h && cc >= 0 && cc < w && ss >= 0 && ss < n && cube[rr, cc, ss] > cube[r, c, s]) max = false;
                            }
                    if (max) negativeBorderMaxima++;
                }
        negativeBorderMaxima.Should().BeGreaterThan(0);
    }
}
