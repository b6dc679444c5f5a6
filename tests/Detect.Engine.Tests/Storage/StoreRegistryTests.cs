using Detect.Engine.Storage;
using Detect.Engine.Storage.S3;

namespace Detect.Engine.Tests.Storage;

/// <summary>Stores are found by URI scheme: a new kind is one provider and one registration line.</summary>
public sealed class StoreRegistryTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("detect-registry-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    /// <summary>A made-up scheme whose stores are folders of a scratch directory: <c>mem://name</c>.</summary>
    private sealed class ScratchProvider(string root) : IStoreProvider
    {
        public List<string> Opened { get; } = [];
        public string Scheme => "mem";
        public string Form => "mem://name";

        public IObjectStore Open(StoreUri uri)
        {
            Opened.Add(uri.Authority);
            return new LocalObjectStore(Path.Combine(root, uri.Authority));
        }
    }

    [Fact]
    public void A_registered_scheme_opens_through_its_provider_and_is_listed_in_the_forms()
    {
        var provider = new ScratchProvider(_scratch);
        var registry = new StoreRegistry().Register(new LocalStoreProvider()).Register(provider);

        using var store = registry.Open("mem://alpha");

        provider.Opened.Should().Equal("alpha");
        store.Should().BeOfType<LocalObjectStore>().Which.Root.Should().Be(Path.Combine(_scratch, "alpha"));
        registry.Supports(StoreUri.Parse("mem://beta")).Should().BeTrue();
        registry.Forms.Should().Be("file:///path (or a local path), mem://name");
    }

    [Fact]
    public void An_unknown_scheme_names_the_uri_and_every_form_this_program_opens()
    {
        var registry = new StoreRegistry().Register(new LocalStoreProvider()).Register(new S3StoreProvider());

        FluentActions.Invoking(() => registry.Open("gs://bucket/runs")).Should().Throw<StoreException>()
            .Which.Message.Should().Be("'gs://bucket/runs' is not a store this program can open: use file:///path (or a local path), s3://bucket/prefix.");
    }

    [Fact]
    public void Registering_a_scheme_again_replaces_its_provider()
    {
        var first = new ScratchProvider(Path.Combine(_scratch, "first"));
        var second = new ScratchProvider(Path.Combine(_scratch, "second"));
        var registry = new StoreRegistry().Register(first).Register(second);

        using var store = registry.Open("mem://x");

        first.Opened.Should().BeEmpty();
        second.Opened.Should().Equal("x");
        registry.Forms.Should().Be("mem://name");
    }

    [Fact]
    public void The_default_registry_opens_local_paths_file_uris_and_s3_uris()
    {
        var path = Path.Combine(_scratch, "local");
        using var local = StoreRegistry.Default.Open(path);
        using var file = StoreRegistry.Default.Open("file://" + path);
        using var s3 = StoreRegistry.Default.Open("s3://some-bucket/prefix");

        local.Uri.Should().Be("file://" + path);
        file.Uri.Should().Be(local.Uri);
        s3.Should().BeOfType<S3ObjectStore>().Which.Location.Should().Be(new S3Location("some-bucket", "prefix/"));
    }

    [Fact]
    public void The_store_option_reports_an_unsupported_scheme_with_the_fix() =>
        FluentActions.Invoking(() => StoreFactory.Open("ftp://host/store")).Should().Throw<StoreException>()
            .Which.Message.Should().Be("The store 'ftp://host/store' has the scheme 'ftp://', which Detect cannot use: use file:///path (or a local path), s3://bucket/prefix.");
}
