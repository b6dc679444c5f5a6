using Detect.Engine.Storage;

namespace Detect.Engine.Tests.Storage;

/// <summary>The one parser of store and object URIs: forms it reads, canonical text, and the errors it gives.</summary>
public sealed class StoreUriTests
{
    [Theory]
    [InlineData("s3://bucket/runs/a", "s3", "bucket", "runs/a", "s3://bucket/runs/a")]
    [InlineData("S3://bucket", "s3", "bucket", "", "s3://bucket")]
    [InlineData("https://example.org:8443/items/x.tif?sig=1", "https", "example.org:8443", "items/x.tif?sig=1", "https://example.org:8443/items/x.tif?sig=1")]
    [InlineData("file:///tmp/store", "file", "", "/tmp/store", "file:///tmp/store")]
    [InlineData("file://localhost/tmp/with%20space", "file", "", "/tmp/with space", "file:///tmp/with space")]
    [InlineData("gs://bucket/prefix", "gs", "bucket", "prefix", "gs://bucket/prefix")]
    public void Parses_scheme_authority_and_path(string text, string scheme, string authority, string path, string canonical)
    {
        var uri = StoreUri.Parse(text);

        uri.Scheme.Should().Be(scheme);
        uri.Authority.Should().Be(authority);
        uri.Path.Should().Be(path);
        uri.ToString().Should().Be(canonical);
        uri.IsFile.Should().Be(scheme == "file");
    }

    [Fact]
    public void A_plain_path_is_a_file_uri_made_absolute()
    {
        var uri = StoreUri.Parse("relative/store");

        uri.IsFile.Should().BeTrue();
        uri.Path.Should().Be(Path.GetFullPath("relative/store"));
        StoreUri.HasScheme("relative/store").Should().BeFalse();
        StoreUri.SchemeOf("imagery/assets/a.tif").Should().BeNull("a store key has no scheme");
        StoreUri.SchemeOf("HTTPS://host/x").Should().Be("https");
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("://bucket/x", "no valid scheme")]
    [InlineData("1s3://bucket/x", "no valid scheme")]
    [InlineData("file://server/share", "names the host 'server'")]
    [InlineData("file://", "has no path")]
    public void Rejects_bad_text_naming_it_and_the_fix(string text, string reason) =>
        FluentActions.Invoking(() => StoreUri.Parse(text)).Should().Throw<StoreException>()
            .Which.Message.Should().Contain(reason).And.Contain("file:///");

    [Theory]
    [InlineData("s3://b/runs/x.tif", "s3://b/runs", "x.tif")]
    [InlineData("s3://b/x.tif", "s3://b", "x.tif")]
    [InlineData("file:///data/h.tif", "file:///data", "h.tif")]
    [InlineData("file:///h.tif", "file:///", "h.tif")]
    public void Splits_an_object_uri_into_its_folder_and_name(string text, string folder, string name)
    {
        var (parent, last) = StoreUri.Parse(text).SplitName();

        parent.ToString().Should().Be(folder);
        last.Should().Be(name);
    }

    [Fact]
    public void A_folder_uri_has_no_object_name() =>
        FluentActions.Invoking(() => StoreUri.Parse("s3://bucket/").SplitName()).Should().Throw<StoreException>()
            .WithMessage("*names a folder, not an object*");
}
