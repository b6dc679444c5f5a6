using Detect.Tasks.Native.Gdal;

namespace Detect.Tasks.Tests.Native.Gdal;

public sealed class WarpTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    // A 20 m band whose value is a linear function of the pixel-centre easting/northing: bilinear resampling
    // reproduces a linear function exactly, so every interior 10 m pixel has a known value.
    private static double Plane(double x, double y) => 1000 + (x - 500_000) * 0.5 + (9_000_000 - y) * 0.25;

    private string WriteTwentyMetreBand(int size)
    {
        var grid = new RasterGrid(32750, GeoTransform.NorthUp(500_000, 9_000_000, 20), size, size);
        var values = new float[grid.PixelCount];
        for (var r = 0; r < size; r++)
        for (var c = 0; c < size; c++)
        {
            var (x, y) = grid.Transform.PixelCenter(c, r);
            values[r * size + c] = (float)Plane(x, y);
        }
        var path = _dir.File("b20.tif");
        Cog.Write(path, grid, [new ReadOnlyMemory<float>(values)], ["rededge1"], null);
        return path;
    }

    [Fact]
    public void Twenty_metre_band_warped_bilinear_to_ten_metres_matches_the_plane()
    {
        using var source = GdalDataset.Open(WriteTwentyMetreBand(40));
        var target = new RasterGrid(32750, GeoTransform.NorthUp(500_100, 8_999_900, 10), 50, 50);
        var result = new float[target.PixelCount];

        GdalWarp.BandToGrid(source, target, Resampling.Bilinear, null, -9999, GdalDataType.Float32, result.AsSpan());

        for (var r = 0; r < 50; r++)
        for (var c = 0; c < 50; c++)
        {
            var (x, y) = target.Transform.PixelCenter(c, r);
            result[r * 50 + c].Should().BeApproximately((float)Plane(x, y), 0.01f, $"pixel ({c},{r})");
        }
    }

    [Theory]
    [InlineData(20, 0, 0)]          // a 20 m band, the tile's origin on a source pixel corner
    [InlineData(20, 10, -10)]       // the tile's origin half a 20 m pixel in
    [InlineData(20, 30, -50)]       // the origin a quarter pixel in
    [InlineData(20, -200, 300)]     // the tile reaches past the source's left and top edges (a scene edge)
    [InlineData(20, 4_000_000, 0)]  // far from the zone's origin (large eastings)
    public void The_written_out_lattice_bilinear_is_GDALs_bilinear_value_for_value(int resolution, double dx, double dy)
    {
        // UInt16 DNs with nodata (0) holes, single pixels and 5 px blocks, on a lattice the 10 m grid nests in.
        var size = 3000 / resolution * 2;
        var random = new Random(resolution);
        using var source = GdalDataset.CreateInMemory(size, size, 1, GdalDataType.UInt16);
        source.GeoTransform = GeoTransform.NorthUp(300_000, 9_000_000, resolution);
        source.ProjectionWkt = new RasterGrid(32750, source.GeoTransform, size, size).Wkt;
        var values = new ushort[size * size];
        for (var i = 0; i < values.Length; i++) values[i] = (ushort)random.Next(1, 12_000);
        for (var k = 0; k < 40; k++)
        {
            var (x, y) = (random.Next(size - 5), random.Next(size - 5));
            for (var r = 0; r < (k % 2 == 0 ? 1 : 5); r++)
            for (var c = 0; c < (k % 2 == 0 ? 1 : 5); c++) values[(y + r) * size + x + c] = 0;
        }
        source.SetNoData(1, 0);
        source.WriteBand<ushort>(1, values);
        var origin = (300_000 + 500 + dx, 9_000_000 - 500 + dy);
        if (dx > 1_000_000) // the same source moved far east: the lattice and values are what matter
        {
            source.GeoTransform = GeoTransform.NorthUp(300_000 + dx, 9_000_000, resolution);
            origin = (300_000 + dx + 500, 9_000_000 - 500);
        }
        var grid = new RasterGrid(32750, GeoTransform.NorthUp(origin.Item1, origin.Item2, 10), 240, 240);
        var gdal = new ushort[grid.PixelCount];
        var written = new ushort[grid.PixelCount];

        GdalWarp.WarpBand<ushort>(source, grid, Resampling.Bilinear, 0, 0, GdalDataType.UInt16, gdal);
        LatticeBilinear.TryResample<ushort>(source, 1, grid, Resampling.Bilinear, 0, 0, written).Should().BeTrue("the lattices nest");

        gdal.Count(v => v == 0).Should().BeGreaterThan(0, "some grid pixels fall on nodata");
        gdal.Count(v => v != 0).Should().BeGreaterThan(grid.PixelCount / 2);
        written.Should().Equal(gdal);
    }

    [Fact]
    public void The_lattice_bilinear_declines_grids_off_the_lattice_and_other_crs()
    {
        using var source = GdalDataset.CreateInMemory(100, 100, 1, GdalDataType.UInt16);
        source.GeoTransform = GeoTransform.NorthUp(300_000, 9_000_000, 20);
        source.ProjectionWkt = new RasterGrid(32750, source.GeoTransform, 100, 100).Wkt;
        var result = new ushort[50 * 50];
        LatticeBilinear.TryResample<ushort>(source, 1, new RasterGrid(32750, GeoTransform.NorthUp(300_003, 8_999_900, 10), 50, 50),
            Resampling.Bilinear, 0, 0, result).Should().BeFalse("3 m off the 10 m lattice");
        LatticeBilinear.TryResample<ushort>(source, 1, new RasterGrid(32751, GeoTransform.NorthUp(300_000, 8_999_900, 10), 50, 50),
            Resampling.Bilinear, 0, 0, result).Should().BeFalse("another zone needs reprojection");
        LatticeBilinear.TryResample<ushort>(source, 1, new RasterGrid(32750, GeoTransform.NorthUp(300_000, 8_999_900, 10), 50, 50),
            Resampling.Nearest, 0, 0, result).Should().BeFalse("only bilinear is written out");
        using var fifteen = GdalDataset.CreateInMemory(100, 100, 1, GdalDataType.UInt16);
        fifteen.GeoTransform = GeoTransform.NorthUp(300_000, 9_000_000, 15);
        fifteen.ProjectionWkt = source.ProjectionWkt;
        LatticeBilinear.TryResample<ushort>(fifteen, 1, new RasterGrid(32750, GeoTransform.NorthUp(300_000, 8_999_900, 10), 50, 50),
            Resampling.Bilinear, 0, 0, result).Should().BeFalse("a 15 m lattice is not a whole multiple of 10 m");
    }

    [Theory]
    [InlineData(32750, 20, true)] // a 20 m band onto a 10 m tile of its zone, bands with the same nodata pixels: one warp
    [InlineData(32750, 60, true)] // a 60 m band
    [InlineData(32751, 20, true)] // reprojected into the next zone
    [InlineData(32750, 20, false)] // nodata pixels differing between bands: warped band by band
    public void Bands_warped_together_come_out_exactly_as_each_warped_alone(int targetEpsg, int resolution, bool sameNoData)
    {
        // Three UInt16 bands of random DNs with nodata (0) holes on one lattice.
        var size = 1200 / resolution * 6;
        var random = new Random(resolution + targetEpsg);
        using var source = GdalDataset.CreateInMemory(size, size, 3, GdalDataType.UInt16);
        source.GeoTransform = GeoTransform.NorthUp(499_980, 9_000_060, resolution);
        source.ProjectionWkt = new RasterGrid(32750, source.GeoTransform, size, size).Wkt;
        for (var b = 1; b <= 3; b++)
        {
            var values = new ushort[size * size];
            var holes = new Random(sameNoData ? 7 : b);
            for (var i = 0; i < values.Length; i++) values[i] = holes.Next(20) == 0 ? (ushort)0 : (ushort)random.Next(1, 12_000);
            source.SetNoData(b, 0);
            source.WriteBand<ushort>(b, values);
        }
        var origin = targetEpsg == 32750 ? (500_003.0, 8_999_997.0) : ReprojectedOrigin();
        var target = new RasterGrid(targetEpsg, GeoTransform.NorthUp(origin.Item1, origin.Item2, 10), 300, 300);
        var together = new ushort[3 * target.PixelCount];

        GdalWarp.BandsToGrid<ushort>(source, target, Resampling.Bilinear, 0, 0, GdalDataType.UInt16, together);

        for (var b = 1; b <= 3; b++)
        {
            using var alone = GdalDataset.CreateInMemory(size, size, 1, GdalDataType.UInt16);
            alone.GeoTransform = source.GeoTransform;
            alone.ProjectionWkt = source.ProjectionWkt;
            alone.SetNoData(1, 0);
            alone.WriteBand<ushort>(1, source.ReadBand<ushort>(b));
            var single = new ushort[target.PixelCount];
            GdalWarp.BandToGrid<ushort>(alone, target, Resampling.Bilinear, 0, 0, GdalDataType.UInt16, single);
            single.Count(v => v != 0).Should().BeGreaterThan(target.PixelCount / 2, "the target lies inside the source");
            together.AsSpan((b - 1) * target.PixelCount, target.PixelCount).ToArray().Should().Equal(single, $"band {b}");
        }
    }

    private static (double, double) ReprojectedOrigin()
    {
        using var toZone51 = CoordinateTransform.FromEpsg(32750, 32751);
        var (x, y) = toZone51.Transform(500_300, 8_999_700);
        return (Math.Round(x / 10) * 10, Math.Round(y / 10) * 10);
    }

    [Fact]
    public void Nearest_resampling_copies_the_containing_source_pixel_and_outside_is_nodata()
    {
        var grid = new RasterGrid(32750, GeoTransform.NorthUp(500_000, 9_000_000, 60), 3, 3);
        byte[] mask = [0, 1, 0, 1, 255, 1, 0, 0, 1];
        var path = _dir.File("cloud.tif");
        Cog.Write(path, grid, [new ReadOnlyMemory<byte>(mask)], ["cloud"], 255);
        using var source = GdalDataset.Open(path);
        // 10 m grid starting 30 m left of the source: its first 3 columns lie outside the source.
        var target = new RasterGrid(32750, GeoTransform.NorthUp(499_970, 9_000_000, 10), 21, 18);
        var result = new byte[target.PixelCount];

        GdalWarp.BandToGrid(source, target, Resampling.Nearest, 255, 255, GdalDataType.Byte, result.AsSpan());

        for (var r = 0; r < 18; r++)
        for (var c = 0; c < 21; c++)
        {
            var sourceCol = (c - 3) / 6.0;
            var expected = c < 3 ? (byte)255 : mask[(r / 6) * 3 + (int)Math.Floor(sourceCol)];
            result[r * 21 + c].Should().Be(expected, $"pixel ({c},{r})");
        }
    }

    [Fact]
    public void Reprojection_between_utm_zones_lands_at_the_same_place()
    {
        // A marker at a known lon/lat written in zone 50S and warped into zone 51S lands in the pixel
        // containing that lon/lat in zone 51S.
        const double lon = 117.02, lat = -8.1;
        using var toZone50 = CoordinateTransform.FromEpsg(4326, 32750);
        using var toZone51 = CoordinateTransform.FromEpsg(4326, 32751);
        var (x50, y50) = toZone50.Transform(lon, lat);
        var srcGrid = new RasterGrid(32750, GeoTransform.NorthUp(Math.Floor(x50 / 10) * 10 - 500, Math.Floor(y50 / 10) * 10 + 500, 10), 100, 100);
        var src = new ushort[srcGrid.PixelCount];
        Array.Fill(src, (ushort)100);
        var (mc, mr) = srcGrid.Transform.PixelContaining(x50, y50);
        src[mr * 100 + mc] = 5000;
        var path = _dir.File("z50.tif");
        Cog.Write(path, srcGrid, [new ReadOnlyMemory<ushort>(src)], ["nir"], 0);

        var (x51, y51) = toZone51.Transform(lon, lat);
        var dstGrid = new RasterGrid(32751, GeoTransform.NorthUp(Math.Floor(x51 / 10) * 10 - 200, Math.Floor(y51 / 10) * 10 + 200, 10), 40, 40);
        var result = new ushort[dstGrid.PixelCount];
        using var source = GdalDataset.Open(path);
        GdalWarp.BandToGrid(source, dstGrid, Resampling.Nearest, 0, 0, GdalDataType.UInt16, result.AsSpan());

        var (dc, dr) = dstGrid.Transform.PixelContaining(x51, y51);
        var hits = Enumerable.Range(0, result.Length).Where(i => result[i] == 5000).ToList();
        hits.Should().NotBeEmpty();
        hits.Should().OnlyContain(i => Math.Abs(i % 40 - dc) <= 1 && Math.Abs(i / 40 - dr) <= 1);
    }

    [Fact]
    public void Aligned_source_copy_equals_what_the_warper_gives()
    {
        var sourceGrid = new RasterGrid(32750, GeoTransform.NorthUp(500_000, 9_000_000, 10), 30, 20);
        var values = new ushort[sourceGrid.PixelCount];
        for (var i = 0; i < values.Length; i++) values[i] = (ushort)(i % 13 == 0 ? 0 : 100 + i);
        var path = _dir.File("b10.tif");
        Cog.Write(path, sourceGrid, [new ReadOnlyMemory<ushort>(values)], ["blue"], 0);
        using var source = GdalDataset.Open(path);
        // 7 px left of and 4 px below the source's top-left corner: partly outside on two sides.
        var target = new RasterGrid(32750, GeoTransform.NorthUp(499_930, 8_999_960, 10), 25, 30);

        var copied = new ushort[target.PixelCount];
        GdalWarp.BandToGrid(source, target, Resampling.Bilinear, 0, 0, GdalDataType.UInt16, copied.AsSpan());
        using var warped = target.CreateDataset(1, GdalDataType.UInt16);
        warped.SetNoData(1, 0);
        GdalWarp.Into(source, warped, Resampling.Bilinear, 0, 0);

        copied.Should().Equal(warped.ReadBand<ushort>(1));
        // Target (col, row) = source (col - 7, row + 4).
        copied[0 * 25 + 7].Should().Be(100 + 4 * 30);
        copied[9 * 25 + 7].Should().Be(0, "source pixel (0, 13) = index 390 is nodata");
        copied[9 * 25 + 8].Should().Be(100 + 391);
        copied[0 * 25 + 6].Should().Be(0, "outside the source");
        copied[16 * 25 + 10].Should().Be(0, "below the source");
    }
}
