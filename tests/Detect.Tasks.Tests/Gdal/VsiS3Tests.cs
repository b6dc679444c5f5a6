using Detect.Tasks.Native.Gdal;

namespace Detect.Tasks.Tests.Gdal;

public sealed class VsiS3Tests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void S3_uri_is_read_path_style_from_the_configured_endpoint()
    {
        // The HTTP server plays a path-style S3 endpoint (it ignores signatures): GDAL must send
        // GET /<bucket>/<key> to the configured host over plain HTTP.
        Directory.CreateDirectory(_dir.File("bucket/imagery"));
        var grid = new RasterGrid(32650, GeoTransform.NorthUp(500_000, 100_000, 20), 64, 64);
        var values = Enumerable.Range(0, grid.PixelCount).Select(i => (ushort)(i + 1)).ToArray();
        Cog.Write(_dir.File("bucket/imagery/b05.tif"), grid, [new ReadOnlyMemory<ushort>(values)], ["rededge1"], 0);
        using var server = new RangeHttpServer(_dir.Path);

        GdalS3.Configure(new S3Settings(server.BaseUrl, "test-key", "test-secret", null, "us-east-1"));
        using var ds = GdalDataset.Open(GdalPaths.FromUri("s3://bucket/imagery/b05.tif"));

        ds.Path.Should().Be("/vsis3/bucket/imagery/b05.tif");
        ds.ReadBand<ushort>(1).Should().Equal(values);
        GdalRuntime.GetConfigOption("AWS_VIRTUAL_HOSTING").Should().Be("FALSE");
    }
}
