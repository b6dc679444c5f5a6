using Detect.Tasks.Native.Gdal;

namespace Detect.Tasks.Tests.Native.Gdal;

public sealed class CogTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static RasterGrid UtmGrid(int width, int height) =>
        new(32750, GeoTransform.NorthUp(300_000, 9_100_000, 10), width, height);

    [Fact]
    public void Cog_written_with_crs_nodata_and_description_reads_back_identical()
    {
        var grid = UtmGrid(300, 200);
        var values = new float[grid.PixelCount];
        for (var i = 0; i < values.Length; i++) values[i] = i % 7 == 0 ? float.NaN : i * 0.25f;
        var path = _dir.File("heat.tif");

        Cog.Write(path, grid, [new ReadOnlyMemory<float>(values)], ["median"], double.NaN);

        using var ds = GdalDataset.Open(path);
        ds.Width.Should().Be(300);
        ds.Height.Should().Be(200);
        ds.BandCount.Should().Be(1);
        ds.GeoTransform.Should().Be(grid.Transform);
        using (var srs = ds.SpatialReference()) srs.Epsg.Should().Be(32750);
        ds.GetBandDescription(1).Should().Be("median");
        ds.GetNoData(1).Should().Be(double.NaN);
        ds.DataType(1).Should().Be(GdalDataType.Float32);
        ds.ReadBand<float>(1).Should().Equal(values);
    }

    [Fact]
    public void Gdalinfo_sees_a_valid_cog_with_band_descriptions()
    {
        var grid = UtmGrid(600, 600);
        var a = new ushort[grid.PixelCount];
        var b = new ushort[grid.PixelCount];
        for (var i = 0; i < a.Length; i++) { a[i] = (ushort)(i % 5000); b[i] = (ushort)(5000 - i % 5000); }
        var path = _dir.File("two.tif");

        Cog.Write(path, grid, [new ReadOnlyMemory<ushort>(a), new ReadOnlyMemory<ushort>(b)], ["blue", "green"], 0);

        var info = Tools.GdalInfo(path);
        info.Should().Contain("Driver: GTiff");
        info.Should().Contain("LAYOUT=COG");
        info.Should().Contain("Description = blue");
        info.Should().Contain("Description = green");
        info.Should().Contain("NoData Value=0");
        info.Should().Contain("ID[\"EPSG\",32750]");
        info.Should().Contain("Origin = (300000.000000000000000,9100000.000000000000000)");
        using var ds = GdalDataset.Open(path);
        var window = new ushort[10 * 3];
        ds.Read<ushort>(2, 5, 7, 10, 3, window);
        window[0].Should().Be(b[7 * 600 + 5]);
        window[29].Should().Be(b[9 * 600 + 14]);
    }

    [Fact]
    public void Reading_converts_to_the_requested_type()
    {
        var grid = UtmGrid(4, 1);
        var path = _dir.File("bytes.tif");
        Cog.Write(path, grid, [new ReadOnlyMemory<ushort>([1, 2, 300, 40000])], ["x"], null);
        using var ds = GdalDataset.Open(path);
        ds.ReadBand<float>(1).Should().Equal(1f, 2f, 300f, 40000f);
        ds.ReadBand<byte>(1).Should().Equal((byte)1, (byte)2, (byte)255, (byte)255); // GDAL clamps
        ds.GetNoData(1).Should().BeNull();
    }
}
