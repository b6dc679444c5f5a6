using Detect.Tasks.Native.Gdal;

namespace Detect.Tasks.Tests.Native.Gdal;

/// <summary>
/// The written-out resamplers against GDAL's warper beyond the 2× bilinear case (WarpTests): bilinear from 60 m (6×),
/// whose only differences must be exact ties, and nearest for masks, which must be exact at every factor.
/// </summary>
public sealed class LatticeResampleTests
{
    private const int Epsg = 32750;

    /// <summary>A UInt16 source of random DNs with nodata (0) single pixels and 3 px blocks.</summary>
    private static GdalDataset Source(int resolution, int size, GdalDataType type, int seed, int maxValue)
    {
        var random = new Random(seed);
        var source = GdalDataset.CreateInMemory(size, size, 1, type);
        source.GeoTransform = GeoTransform.NorthUp(300_000, 9_000_000, resolution);
        source.ProjectionWkt = new RasterGrid(Epsg, source.GeoTransform, size, size).Wkt;
        var values = new ushort[size * size];
        for (var i = 0; i < values.Length; i++) values[i] = (ushort)random.Next(1, maxValue);
        for (var k = 0; k < 30; k++)
        {
            var (x, y) = (random.Next(size - 3), random.Next(size - 3));
            for (var r = 0; r < (k % 2 == 0 ? 1 : 3); r++)
            for (var c = 0; c < (k % 2 == 0 ? 1 : 3); c++) values[(y + r) * size + x + c] = 0;
        }
        source.SetNoData(1, 0);
        if (type == GdalDataType.Byte) source.WriteBand<byte>(1, values.Select(v => (byte)v).ToArray());
        else source.WriteBand<ushort>(1, values);
        return source;
    }

    [Theory]
    [InlineData(0, 0)]      // the grid's origin on a 60 m pixel corner
    [InlineData(10, -30)]   // a sixth and a half of a pixel in
    [InlineData(-120, 50)]  // the grid reaches past the source's left edge
    public void Sixty_metre_bilinear_equals_GDALs_except_at_exact_ties_where_it_is_one_DN_apart(double dx, double dy)
    {
        using var source = Source(60, 60, GdalDataType.UInt16, seed: 6, maxValue: 12_000);
        var values = source.ReadBand<ushort>(1);
        var grid = new RasterGrid(Epsg, GeoTransform.NorthUp(300_000 + 300 + dx, 9_000_000 - 300 + dy, 10), 240, 240);
        var gdal = new ushort[grid.PixelCount];
        var written = new ushort[grid.PixelCount];

        GdalWarp.WarpBand<ushort>(source, grid, Resampling.Bilinear, 0, 0, GdalDataType.UInt16, gdal);
        LatticeBilinear.TryResample<ushort>(source, 1, grid, Resampling.Bilinear, 0, 0, written).Should().BeTrue("60 m nests 10 m 6×");

        var (ties, differing) = (0, 0);
        for (var r = 0; r < grid.Height; r++)
        for (var c = 0; c < grid.Width; c++)
        {
            var i = r * grid.Width + c;
            var exact = ExactBilinear(values, 60, (int)Math.Round((300 + dx) / 10) + c, (int)Math.Round((300 - dy) / 10) + r);
            if (exact is null)
            {
                written[i].Should().Be(0, $"({c},{r}) is nodata");
                gdal[i].Should().Be(0);
                continue;
            }
            var (numerator, denominator) = exact.Value;
            var rounded = (ushort)((2 * numerator + denominator) / (2 * denominator)); // half up, in integers
            var tie = 2 * numerator % (2 * denominator) == denominator;
            if (tie) ties++;
            if (written[i] != gdal[i]) differing++;
            if (!tie)
            {
                written[i].Should().Be(rounded, $"({c},{r}) is not a tie: exact arithmetic rounds it one way");
                gdal[i].Should().Be(rounded);
            }
            else Math.Abs(written[i] - gdal[i]).Should().BeLessThanOrEqualTo(1, $"({c},{r}) is a tie");
        }
        ties.Should().BeGreaterThan(0, "the case the test is about occurs");
        differing.Should().BeLessThanOrEqualTo(ties).And.BeLessThan(grid.PixelCount / 50);
    }

    [Theory]
    [InlineData(2, 0, 0)]
    [InlineData(2, 1, 3)]    // the grid's origin half a source pixel in
    [InlineData(2, -7, 5)]   // past the source's left edge
    [InlineData(3, 2, 1)]    // odd factors: some centres sit on a source pixel centre (a zero weight)
    [InlineData(4, 3, -9)]
    [InlineData(5, 4, 4)]
    [InlineData(6, 1, -3)]
    public void The_fast_paths_write_what_the_general_rule_writes_pixel_for_pixel(int factor, int gridOffsetX, int gridOffsetY)
    {
        // Source 40 × 40 with nodata (0) single pixels and blocks; the grid (in its own pixels) starts at the offset and
        // reaches past the source on the far side too, so edges, nodata neighbours and the interior all occur.
        const int size = 40;
        var random = new Random(factor * 97 + gridOffsetX);
        var source = new ushort[size * size];
        for (var i = 0; i < source.Length; i++) source[i] = (ushort)random.Next(1, 65_536);
        for (var k = 0; k < 25; k++)
        {
            var (x, y) = (random.Next(size - 3), random.Next(size - 3));
            for (var r = 0; r < (k % 2 == 0 ? 1 : 3); r++)
            for (var c = 0; c < (k % 2 == 0 ? 1 : 3); c++) source[(y + r) * size + x + c] = 0;
        }
        var step = 1.0 / factor;
        var lattice = new NestedLattice(factor, step, step, gridOffsetX * step, gridOffsetY * step);
        var (width, height) = (size * factor + 10, size * factor + 10);
        var fast = new ushort[width * height];
        var general = new ushort[width * height];

        LatticeBilinear.Resample(source, size, size, 0, lattice, 0, fast, width, height);
        LatticeBilinear.ResampleGeneral(source, size, size, 0, lattice, 0, general, width, height);

        fast.Should().Equal(general);
        general.Count(v => v == 0).Should().BeInRange(1, general.Length / 2, "nodata and edges occur, and so does data");
    }

    /// <summary>
    /// GDAL's bilinear in exact rationals for a 10 m pixel at grid-lattice column/row (gx, gy) counted from the source's
    /// corner: the centre is at (2·gx + 1)/12 source pixels, weights are twelfths; returns numerator and denominator of
    /// the value (in 144ths), or null where GDAL writes nodata.
    /// </summary>
    private static (long Numerator, long Denominator)? ExactBilinear(ushort[] values, int size, int gx, int gy)
    {
        var twelfthsX = 2 * gx + 1;
        var twelfthsY = 2 * gy + 1;
        var (col, row) = (FloorDiv(twelfthsX, 12), FloorDiv(twelfthsY, 12));
        if (col < 0 || col >= size || row < 0 || row >= size || values[row * size + col] == 0) return null;
        var (left, top) = (FloorDiv(twelfthsX - 6, 12), FloorDiv(twelfthsY - 6, 12));
        var wx = 18 - twelfthsX + 12 * left; // 12 · (1.5 − (sx − left))
        var wy = 18 - twelfthsY + 12 * top;
        long numerator = 0, denominator = 0;
        foreach (var (x, y, w) in new[] { (left, top, wx * wy), (left + 1, top, (12 - wx) * wy), (left + 1, top + 1, (12 - wx) * (12 - wy)), (left, top + 1, wx * (12 - wy)) })
        {
            if (x < 0 || x >= size || y < 0 || y >= size || values[y * size + x] == 0) continue;
            numerator += (long)values[y * size + x] * w;
            denominator += w;
        }
        return denominator == 0 ? null : (numerator, denominator);
    }

    private static int FloorDiv(int a, int b) => (int)Math.Floor(a / (double)b);

    [Theory]
    [InlineData(20, 0, 0)]     // a 20 m SCL or cloud mask under a tile of its zone
    [InlineData(20, 10, -30)]
    [InlineData(60, 10, -30)]  // any whole factor
    [InlineData(20, -200, 300)] // past the source's edges
    public void Nearest_on_a_nested_lattice_is_GDALs_nearest_value_for_value(int resolution, double dx, double dy)
    {
        using var source = Source(resolution, 3600 / resolution, GdalDataType.Byte, seed: resolution, maxValue: 12);
        var grid = new RasterGrid(Epsg, GeoTransform.NorthUp(300_000 + 500 + dx, 9_000_000 - 500 + dy, 10), 240, 240);
        var gdal = new byte[grid.PixelCount];
        var written = new byte[grid.PixelCount];

        GdalWarp.WarpBand<byte>(source, grid, Resampling.Nearest, 0, 0, GdalDataType.Byte, gdal);
        LatticeNearest.TryResample<byte>(source, 1, grid, Resampling.Nearest, 0, 0, written).Should().BeTrue();

        gdal.Distinct().Count().Should().BeGreaterThan(5, "the classes vary");
        gdal.Should().Contain(0, "some pixels are nodata");
        written.Should().Equal(gdal);
    }

    [Fact]
    public void Nearest_with_another_nodata_value_keeps_it_as_GDAL_does()
    {
        // Cloud masks use 255 as nodata and 0 as "clear": a 0 must stay a 0.
        using var source = Source(20, 180, GdalDataType.Byte, seed: 3, maxValue: 12);
        var grid = new RasterGrid(Epsg, GeoTransform.NorthUp(300_000 + 500, 9_000_000 - 500, 10), 240, 240);
        var gdal = new byte[grid.PixelCount];
        var written = new byte[grid.PixelCount];

        GdalWarp.WarpBand<byte>(source, grid, Resampling.Nearest, 255, 255, GdalDataType.Byte, gdal);
        LatticeNearest.TryResample<byte>(source, 1, grid, Resampling.Nearest, 255, 255, written).Should().BeTrue();

        written.Should().Equal(gdal).And.Contain(0);
    }
}
