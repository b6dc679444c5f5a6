using Detect.Tasks.Native.Gdal;

namespace Detect.Tasks.Tests.Gdal;

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
        var config = new S3Settings("http://localhost:9000", "AKID", "SECRET", null, "us-east-1").ToGdalConfig();
        config["AWS_S3_ENDPOINT"].Should().Be("localhost:9000");
        config["AWS_HTTPS"].Should().Be("NO");
        config["AWS_VIRTUAL_HOSTING"].Should().Be("FALSE");
        config["AWS_ACCESS_KEY_ID"].Should().Be("AKID");
        config["AWS_SECRET_ACCESS_KEY"].Should().Be("SECRET");
        config["AWS_REGION"].Should().Be("us-east-1");
        config.Should().NotContainKey("AWS_SESSION_TOKEN");

        var https = new S3Settings("https://s3.example.org", null, null, "TOKEN", null).ToGdalConfig();
        https["AWS_S3_ENDPOINT"].Should().Be("s3.example.org");
        https["AWS_HTTPS"].Should().Be("YES");
        https["AWS_SESSION_TOKEN"].Should().Be("TOKEN");
    }
}
