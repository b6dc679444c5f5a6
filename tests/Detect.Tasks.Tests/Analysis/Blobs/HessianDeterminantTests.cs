using Detect.Tasks.Analysis.Blobs;

namespace Detect.Tasks.Tests.Analysis.Blobs;

public class HessianDeterminantTests
{
    [Theory]
    [InlineData(130, 90, 3.5)]
    [InlineData(130, 90, 14.222222222222221)]
    [InlineData(130, 90, 46.388888888888886)] // boxes wider than half the raster
    [InlineData(130, 90, 100)]                // boxes wider than the raster: every column clipped
    [InlineData(7, 300, 24.944444444444443)]  // narrower than one vector of columns
    public unsafe void Rows_equal_skimages_per_pixel_formula_exactly_everywhere_including_the_clipped_edges(int w, int h, double sigma)
    {
        var rng = new Random(3);
        var img = Enumerable.Range(0, w * h).Select(_ => (float)rng.NextDouble()).ToArray();
        var oracle = SkimageOracle.IntegralImage(img, w, h, 0.5f);
        var kernel = HessianDeterminant.KernelFor(sigma);
        var row = new double[w];
        fixed (float* p = img)
        {
            var ii = new IntegralImage(p, w, h, 0.5f, 0, new double[w], h);
            ii.ProduceThrough(h - 1);
            for (int r = 0; r < h; r++)
            {
                HessianDeterminant.Row(ii, kernel, r, row);
                for (int c = 0; c < w; c++)
                {
                    double expected = SkimageOracle.Determinant(oracle, sigma, r, c);
                    row[c].Should().Be(expected, $"pixel ({r}, {c}): the same IEEE operations in the same order");
                    HessianDeterminant.AtPixel(ii, kernel, r, c).Should().Be(expected);
                }
            }
        }
    }

    [Fact]
    public unsafe void A_box_cut_by_the_edge_ends_its_length_after_the_clipped_start_as_skimage_clips_it()
    {
        // A bright pixel at the top-left corner: at (0, 0) skimage's boxes that start above/left of the raster are
        // moved to start at row/col 0 and keep their length, so they still reach the pixel; clipping the end from the
        // unclipped start (the old Detect) gives shorter boxes and another determinant.
        const int w = 40, h = 40;
        var img = new float[w * h];
        for (int r = 0; r < 6; r++) for (int c = 0; c < 6; c++) img[r * w + c] = 1;
        var oracle = SkimageOracle.IntegralImage(img, w, h, 0.5f);
        var kernel = HessianDeterminant.KernelFor(14.2);
        fixed (float* p = img)
        {
            var ii = new IntegralImage(p, w, h, 0.5f, 0, new double[w], h);
            ii.ProduceThrough(h - 1);
            var row = new double[w];
            HessianDeterminant.Row(ii, kernel, 0, row);
            row[0].Should().Be(SkimageOracle.Determinant(oracle, 14.2, 0, 0)).And.NotBe(0);
        }
    }
}

public class IntegralImageTests
{
    [Fact]
    public unsafe void Rows_are_numpys_column_then_row_cumsum_bit_for_bit_through_a_small_ring()
    {
        // values of very different magnitudes: their float64 sums round, so the summation order shows
        const int w = 53, h = 70;
        var rng = new Random(11);
        var img = Enumerable.Range(0, w * h).Select(_ => (float)(rng.NextDouble() * Math.ScaleB(1, rng.Next(-40, 2)))).ToArray();
        img[5] = float.NaN;
        var oracle = SkimageOracle.IntegralImage(img, w, h, 1e-9f);
        fixed (float* p = img)
        {
            // start at row 20 from the column sums above it, hold 9 rows at a time
            var before = IntegralImage.ColumnSumsBefore(p, w, 1e-9f, [20])[0];
            var ii = new IntegralImage(p, w, h, 1e-9f, 20, before, 9);
            for (int r = 20; r < h; r++)
            {
                ii.ProduceThrough(r);
                var row = ii.Row(r).ToArray();
                for (int c = 0; c < w; c++) row[c].Should().Be(oracle[r, c], $"({r}, {c})");
            }
            Action evicted = () => ii.Row(h - 10).ToArray();
            evicted.Should().Throw<InvalidOperationException>().WithMessage("*not held*");
        }
        // the order matters: a running row sum plus the row above (Detect's order before) differs in the last bits
        var rowFirst = new double[w];
        int differing = 0;
        for (int r = 0; r < h; r++)
        {
            double running = 0;
            for (int c = 0; c < w; c++)
            {
                float v = img[r * w + c];
                running += v >= 1e-9f ? v : 0;
                double value = running + (r > 0 ? rowFirst[c] : 0);
                if (value != oracle[r, c]) differing++;
                rowFirst[c] = value;
            }
        }
        differing.Should().BeGreaterThan(0);
    }
}
