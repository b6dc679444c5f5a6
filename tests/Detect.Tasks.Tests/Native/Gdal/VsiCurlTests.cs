using Detect.Tasks.Native.Gdal;

namespace Detect.Tasks.Tests.Native.Gdal;

public sealed class VsiCurlTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Cog_over_http_reads_the_same_values_and_a_missing_url_is_named()
    {
        var grid = new RasterGrid(32750, GeoTransform.NorthUp(300_000, 9_100_000, 10), 700, 300);
        var values = new ushort[grid.PixelCount];
        for (var i = 0; i < values.Length; i++) values[i] = (ushort)(i * 7 % 60000 + 1);
        Cog.Write(_dir.File("remote.tif"), grid, [new ReadOnlyMemory<ushort>(values)], ["swir22"], 0);
        using var server = new RangeHttpServer(_dir.Path);

        using (var ds = GdalDataset.Open(GdalPaths.FromUri(server.BaseUrl + "remote.tif")))
        {
            ds.GetBandDescription(1).Should().Be("swir22");
            var window = new ushort[50 * 20];
            ds.Read<ushort>(1, 600, 250, 50, 20, window);
            window[0].Should().Be(values[250 * 700 + 600]);
            window[^1].Should().Be(values[269 * 700 + 649]);
        }

        var missing = server.BaseUrl + "absent.tif";
        var act = () => GdalDataset.Open(GdalPaths.FromUri(missing));
        act.Should().Throw<GdalException>().WithMessage($"*/vsicurl/{missing}*");
    }
}
