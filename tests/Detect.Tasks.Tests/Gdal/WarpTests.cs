using Detect.Tasks.Native.Gdal;

namespace Detect.Tasks.Tests.Gdal;

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
