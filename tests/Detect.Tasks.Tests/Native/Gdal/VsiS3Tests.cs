using Detect.Engine.Storage;
using Detect.Engine.Storage.S3;
using Detect.Tasks.Native.Gdal;

namespace Detect.Tasks.Tests.Native.Gdal;

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

        var settings = new S3Settings { Endpoint = server.BaseUrl, AccessKeyId = "test-key", SecretAccessKey = "test-secret" };
        using var ds = GdalDataset.Open(GdalPaths.For(new ObjectLocation.S3Object("bucket", "imagery/b05.tif", settings)));

        ds.Path.Should().Be("/vsis3/bucket/imagery/b05.tif");
        ds.ReadBand<ushort>(1).Should().Equal(values);
        GdalS3.EffectiveOption("bucket", "AWS_VIRTUAL_HOSTING").Should().Be("FALSE");
    }

    [Fact]
    public void Two_buckets_on_two_endpoints_read_in_one_process_and_missing_or_refused_objects_are_told_apart()
    {
        // Two "S3 services" (each an HTTP server playing a path-style endpoint): per-bucket options send each
        // bucket's requests to its own endpoint, as the store on Swift and imagery on AWS need.
        Directory.CreateDirectory(_dir.File("a/one/x"));
        Directory.CreateDirectory(_dir.File("b/two/x"));
        var grid = new RasterGrid(32650, GeoTransform.NorthUp(500_000, 100_000, 20), 16, 16);
        Cog.Write(_dir.File("a/one/x/r.tif"), grid, [new ReadOnlyMemory<ushort>(Enumerable.Repeat((ushort)11, grid.PixelCount).ToArray())], ["a"], 0);
        Cog.Write(_dir.File("b/two/x/r.tif"), grid, [new ReadOnlyMemory<ushort>(Enumerable.Repeat((ushort)22, grid.PixelCount).ToArray())], ["b"], 0);
        using var first = new RangeHttpServer(_dir.File("a"));
        using var second = new RangeHttpServer(_dir.File("b"), forbiddenPrefix: "/two/denied/");
        S3Settings At(RangeHttpServer s) => new() { Endpoint = s.BaseUrl, AccessKeyId = "k", SecretAccessKey = "s" };

        using (var one = GdalDataset.Open(GdalPaths.For(new ObjectLocation.S3Object("one", "x/r.tif", At(first)))))
        using (var two = GdalDataset.Open(GdalPaths.For(new ObjectLocation.S3Object("two", "x/r.tif", At(second)))))
        {
            one.ReadBand<ushort>(1)[0].Should().Be(11);
            two.ReadBand<ushort>(1)[0].Should().Be(22);
        }

        var missing = () => GdalDataset.Open(GdalPaths.For(new ObjectLocation.S3Object("two", "x/absent.tif", At(second))));
        missing.Should().Throw<GdalException>().Which.Kind.Should().Be(GdalErrorKind.NotFound);
        var denied = () => GdalDataset.Open(GdalPaths.For(new ObjectLocation.S3Object("two", "denied/r.tif", At(second))));
        denied.Should().Throw<GdalException>().Which.Kind.Should().Be(GdalErrorKind.AccessDenied);
    }
}
