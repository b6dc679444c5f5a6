using Detect.Engine.Storage;
using Detect.Engine.Storage.S3;
using Detect.Tasks.Native.Gdal;

namespace Detect.Tasks.Tests.Native.Gdal;

public sealed class PathsTests
{
    [Theory]
    [InlineData("s3://bucket/imagery/assets/a.tif", "/vsis3/bucket/imagery/assets/a.tif")]
    [InlineData("https://example.org/x/b.tif", "/vsicurl/https://example.org/x/b.tif")]
    [InlineData("file:///data/store/imagery/c%20d.tif", "/data/store/imagery/c d.tif")]
    [InlineData("/data/e.tif", "/data/e.tif")]
    [InlineData("/vsis3/b/k.tif", "/vsis3/b/k.tif")]
    public void Uris_map_to_gdal_paths(string uri, string expected) => GdalPaths.FromUri(uri).Should().Be(expected);

    [Fact]
    public void Unsupported_scheme_is_named()
    {
        var act = () => GdalPaths.FromUri("ftp://host/x.tif");
        act.Should().Throw<ArgumentException>().WithMessage("*ftp://host/x.tif*");
    }

    [Fact]
    public void S3_settings_become_gdal_options()
    {
        var config = GdalS3.Options(new S3Settings { Endpoint = "http://localhost:9000", AccessKeyId = "AKID", SecretAccessKey = "SECRET" });
        config["AWS_S3_ENDPOINT"].Should().Be("localhost:9000");
        config["AWS_HTTPS"].Should().Be("NO");
        config["AWS_VIRTUAL_HOSTING"].Should().Be("FALSE");
        config["AWS_ACCESS_KEY_ID"].Should().Be("AKID");
        config["AWS_SECRET_ACCESS_KEY"].Should().Be("SECRET");
        config["AWS_REGION"].Should().Be("us-east-1");
        config["AWS_REQUEST_PAYER"].Should().Be("");
        config.Should().NotContainKey("AWS_SESSION_TOKEN");

        var https = GdalS3.Options(new S3Settings { Endpoint = "https://s3.example.org", SessionToken = "TOKEN" });
        https["AWS_S3_ENDPOINT"].Should().Be("s3.example.org");
        https["AWS_HTTPS"].Should().Be("YES");
        https["AWS_SESSION_TOKEN"].Should().Be("TOKEN");

        var aws = GdalS3.Options(new S3Settings { Region = "eu-central-1" }, requesterPays: true);
        aws["AWS_S3_ENDPOINT"].Should().Be("s3.amazonaws.com");
        aws["AWS_VIRTUAL_HOSTING"].Should().Be("TRUE");
        aws["AWS_REGION"].Should().Be("eu-central-1");
        aws["AWS_REQUEST_PAYER"].Should().Be("requester");
    }

    [Fact]
    public void Locations_map_to_gdal_paths_and_s3_options_apply_to_their_bucket_only()
    {
        GdalPaths.For(new ObjectLocation.LocalFile("/data/x.tif")).Should().Be("/data/x.tif");
        GdalPaths.For(new ObjectLocation.HttpObject(new Uri("http://127.0.0.1:9/a/SCL.tif"))).Should().Be("/vsicurl/http://127.0.0.1:9/a/SCL.tif");

        var store = new ObjectLocation.S3Object("paths-test-store", "runs/r/h.tif", new S3Settings { Endpoint = "http://127.0.0.1:9000" });
        var imagery = new ObjectLocation.S3Object("paths-test-imagery", "tiles/B02.jp2", new S3Settings { Region = "eu-central-1" }, RequesterPays: true);
        GdalPaths.For(store).Should().Be("/vsis3/paths-test-store/runs/r/h.tif");
        GdalPaths.For(imagery).Should().Be("/vsis3/paths-test-imagery/tiles/B02.jp2");

        GdalS3.EffectiveOption("paths-test-store", "AWS_S3_ENDPOINT").Should().Be("127.0.0.1:9000");
        GdalS3.EffectiveOption("paths-test-store", "AWS_REQUEST_PAYER").Should().Be("");
        GdalS3.EffectiveOption("paths-test-imagery", "AWS_S3_ENDPOINT").Should().Be("s3.amazonaws.com");
        GdalS3.EffectiveOption("paths-test-imagery", "AWS_REGION").Should().Be("eu-central-1");
        GdalS3.EffectiveOption("paths-test-imagery", "AWS_REQUEST_PAYER").Should().Be("requester");
        GdalS3.EffectiveOption("paths-test-elsewhere", "AWS_REQUEST_PAYER").Should().BeNullOrEmpty("options are per bucket, not process-wide");
    }
}
