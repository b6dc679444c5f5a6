using System.Text;
using Detect.Engine.Storage;

namespace Detect.Engine.Tests.Storage.Contract;

/// <summary>
/// What the engine relies on from every <see cref="IObjectStore"/>, as tests every store runs: a store's test class
/// derives from this and says how to open a fresh, empty store and how to read an object where <see cref="IObjectStore.Locate"/>
/// says it lies. A new kind of store passes this suite before the engine may use it.
/// </summary>
public abstract class ObjectStoreContract : IDisposable
{
    protected string Scratch { get; } = Directory.CreateTempSubdirectory("detect-store-contract-").FullName;

    /// <summary>A new, empty store (its own root or prefix).</summary>
    protected abstract IObjectStore NewStore();

    /// <summary>The bytes at a location this store's <see cref="IObjectStore.Locate"/> gave, read without the store.</summary>
    protected abstract Task<byte[]> ReadInPlaceAsync(ObjectLocation location);

    public virtual void Dispose()
    {
        Directory.Delete(Scratch, recursive: true);
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task An_object_exists_once_published_and_a_folder_of_objects_is_not_an_object()
    {
        using var store = NewStore();
        (await store.ExistsAsync("runs/r/a.json")).Should().BeFalse();

        await PutAsync(store, "runs/r/a.json", "{}");

        (await store.ExistsAsync("runs/r/a.json")).Should().BeTrue();
        (await store.ExistsAsync("runs/r")).Should().BeFalse("a prefix with objects under it is no object");
        (await store.ExistsAsync("runs/r/")).Should().BeFalse();
        (await store.ExistsAsync("runs/r/a.jso")).Should().BeFalse();
    }

    [Fact]
    public async Task Listing_returns_every_key_under_a_prefix_recursively_in_ordinal_order()
    {
        using var store = NewStore();
        string[] keys =
        [
            "runs/r/a.json", "runs/r/B.json", "runs/r/a-b.json", "runs/r/a/b.json", "runs/r/sub/deep/x.tif",
            "runs/r/with space.json", "runs/r/\u00e9t\u00e9.json", "runs/rx/sibling.json", "runs/r.json", "top.txt",
        ];
        foreach (var key in keys) await PutAsync(store, key, key);
        List<string> Under(string prefix) => keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();

        (await store.ListAsync("runs/r/")).Should().Equal(Under("runs/r/"), "a folder prefix lists everything below it, sorted ordinally");
        (await store.ListAsync("runs/r")).Should().Equal(Under("runs/r"), "a prefix is a string prefix, not a folder: runs/r.json and runs/rx/ match");
        (await store.ListAsync("runs/r/a")).Should().Equal("runs/r/a-b.json", "runs/r/a.json", "runs/r/a/b.json");
        (await store.ListAsync("/runs/r/")).Should().Equal(Under("runs/r/"), "a leading '/' is ignored, as in keys");
        (await store.ListAsync("")).Should().Equal(keys.Order(StringComparer.Ordinal), "the empty prefix lists the whole store");
        (await store.ListAsync("nothing/")).Should().BeEmpty();
        (await store.ListAsync("runs/r/sub/deep/x.tif")).Should().Equal("runs/r/sub/deep/x.tif");
    }

    [Fact]
    public async Task Objects_read_back_byte_for_byte_and_keys_are_normalised_as_store_keys()
    {
        using var store = NewStore();
        var bytes = Enumerable.Range(0, 70_000).Select(i => (byte)(i * 31)).ToArray();
        await PutAsync(store, "/data/blob.bin", bytes);

        (await ReadBytesAsync(store, "data/blob.bin")).Should().Equal(bytes, "'/data/blob.bin' and 'data/blob.bin' are one key");
        (await ReadBytesAsync(store, "data\\blob.bin")).Should().Equal(bytes, "'\\' separates folders like '/'");
        var climb = () => store.ExistsAsync("data/../secret");
        await climb.Should().ThrowAsync<ArgumentException>().WithMessage("*..*");
    }

    [Fact]
    public async Task Reading_a_missing_object_throws_ObjectNotFoundException_naming_its_uri()
    {
        using var store = NewStore();
        await PutAsync(store, "present/a.txt", "a");

        foreach (var key in new[] { "present/b.txt", "absent-folder/b.txt" })
        {
            var read = () => store.OpenReadAsync(key);
            (await read.Should().ThrowAsync<ObjectNotFoundException>()).Which.Message.Should().Contain(store.UriOf(key));
            var target = Path.Combine(Scratch, "downloads", key);
            var download = () => store.DownloadAsync(key, target);
            (await download.Should().ThrowAsync<ObjectNotFoundException>()).Which.Message.Should().Contain(store.UriOf(key));
            File.Exists(target).Should().BeFalse();
        }
        if (Directory.Exists(Path.Combine(Scratch, "downloads")))
            Directory.EnumerateFiles(Path.Combine(Scratch, "downloads"), "*", SearchOption.AllDirectories).Should().BeEmpty("no partial download is left");
    }

    [Fact]
    public async Task Download_writes_the_object_to_a_new_folder_and_replaces_an_older_copy()
    {
        using var store = NewStore();
        await PutAsync(store, "models/m.onnx", "version 2");
        var target = Path.Combine(Scratch, "cache", "deep", "m.onnx");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        await File.WriteAllTextAsync(target, "version 1, longer than version 2");

        await store.DownloadAsync("models/m.onnx", target);

        (await File.ReadAllTextAsync(target)).Should().Be("version 2");
        Directory.GetFiles(Path.GetDirectoryName(target)!).Should().ContainSingle("no partial file is left beside it");
    }

    [Fact]
    public async Task Publishing_replaces_an_object_atomically_readers_see_the_old_or_the_new_bytes_whole()
    {
        using var store = NewStore();
        const int size = 6 << 20; // above S3's 5 MiB part minimum: a store may upload it in parts
        var first = WriteScratch("first", new string('a', size));
        var second = WriteScratch("second", new string('b', size));
        await store.PublishFileAsync("out/big.bin", first);

        using var stop = new CancellationTokenSource();
        var seen = new HashSet<string>();
        var reader = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var bytes = await ReadBytesAsync(store, "out/big.bin");
                bytes.Length.Should().Be(size, "a reader never sees part of an object");
                bytes.Should().OnlyContain(b => b == bytes[0], "a reader never sees two versions mixed");
                lock (seen) seen.Add(((char)bytes[0]).ToString());
            }
        });
        for (var i = 0; i < 3; i++)
        {
            await store.PublishFileAsync("out/big.bin", second);
            await store.PublishFileAsync("out/big.bin", first);
        }
        await store.PublishFileAsync("out/big.bin", second);
        stop.Cancel();
        await reader;

        (await ReadBytesAsync(store, "out/big.bin")).Should().OnlyContain(b => b == (byte)'b');
        (await store.ListAsync("out/")).Should().Equal(["out/big.bin"], "publication leaves no partial or temporary object");
        seen.Should().NotBeEmpty();
    }

    [Fact]
    public async Task A_staged_file_is_published_whole_whether_the_store_moves_or_copies_it()
    {
        using var store = NewStore();
        var staged = WriteScratch("staged.json", "{\"tile\": 7}");

        await store.PublishStagedFileAsync("runs/r/out.json", staged);

        (await ReadTextAsync(store, "runs/r/out.json")).Should().Be("{\"tile\": 7}");
        (await store.ListAsync("runs/")).Should().Equal("runs/r/out.json");
    }

    [Fact]
    public async Task Publishing_a_missing_local_file_fails_naming_it_and_makes_nothing()
    {
        using var store = NewStore();
        var missing = Path.Combine(Scratch, "never-written.json");

        foreach (var publish in new Func<Task>[]
                 {
                     () => store.PublishFileAsync("runs/r/x.json", missing),
                     () => store.PublishStagedFileAsync("runs/r/x.json", missing),
                 })
            (await publish.Should().ThrowAsync<StoreException>()).Which.Message.Should().Contain(missing);
        (await store.ListAsync("")).Should().BeEmpty();
    }

    [Fact]
    public async Task Deleting_is_idempotent_and_deleting_a_prefix_keeps_its_siblings()
    {
        using var store = NewStore();
        foreach (var key in new[] { "runs/r/a.json", "runs/r/sub/b.json", "runs/rx/keep.json", "runs/r.json" }) await PutAsync(store, key, key);

        await store.DeleteAsync("runs/r/a.json");
        await store.DeleteAsync("runs/r/a.json");
        await store.DeleteAsync("never/was/there.json");
        (await store.ExistsAsync("runs/r/a.json")).Should().BeFalse();

        await store.DeletePrefixAsync("runs/r/");
        await store.DeletePrefixAsync("runs/r/");
        await store.DeletePrefixAsync("nothing/");

        (await store.ListAsync("")).Should().Equal("runs/r.json", "runs/rx/keep.json");
    }

    [Fact]
    public async Task Exclusive_create_succeeds_once_keeps_the_first_content_and_works_again_after_release()
    {
        using var store = NewStore();
        (await store.TryCreateExclusiveAsync(".detect/leases/t.json", "owner-a"u8.ToArray())).Should().BeTrue();
        (await store.TryCreateExclusiveAsync(".detect/leases/t.json", "owner-b"u8.ToArray())).Should().BeFalse();
        (await ReadTextAsync(store, ".detect/leases/t.json")).Should().Be("owner-a");

        await store.ReleaseExclusiveAsync(".detect/leases/t.json");
        (await store.ExistsAsync(".detect/leases/t.json")).Should().BeFalse();
        (await store.TryCreateExclusiveAsync(".detect/leases/t.json", "owner-b, longer"u8.ToArray())).Should().BeTrue();
        (await ReadTextAsync(store, ".detect/leases/t.json")).Should().Be("owner-b, longer");

        await store.ReleaseExclusiveAsync(".detect/leases/t.json");
        await store.ReleaseExclusiveAsync(".detect/leases/t.json");
        await store.ReleaseExclusiveAsync("no-folder/never.json");
        (await store.ListAsync("")).Should().BeEmpty("released objects are gone and a store's own spare files never show");
    }

    [Fact]
    public async Task Racing_exclusive_creates_have_exactly_one_winner_whose_content_stays()
    {
        using var store = NewStore();
        for (var round = 0; round < 3; round++)
        {
            var key = $".detect/leases/race-{round}.json";
            var results = await Task.WhenAll(Enumerable.Range(0, 8)
                .Select(i => Task.Run(() => store.TryCreateExclusiveAsync(key, Encoding.UTF8.GetBytes($"owner-{i}")))));

            results.Count(created => created).Should().Be(1);
            (await ReadTextAsync(store, key)).Should().Be($"owner-{Array.IndexOf(results, true)}");
        }
    }

    [Fact]
    public async Task Locate_names_where_an_object_is_read_in_place_and_checks_no_existence()
    {
        using var store = NewStore();
        await PutAsync(store, "runs/r/heatmap.tif", "raster bytes");

        var location = store.Locate("runs/r/heatmap.tif");

        location.Should().NotBeNull("both stores here can be read in place");
        Encoding.UTF8.GetString(await ReadInPlaceAsync(location!)).Should().Be("raster bytes");
        store.Locate("runs/r/not-yet.tif").Should().NotBeNull("Locate says where, not whether");
    }

    [Fact]
    public async Task The_store_uri_names_its_objects_and_reopens_the_same_store_through_the_registry()
    {
        using var store = NewStore();
        await PutAsync(store, "boundaries/roi.geojson", "{}");

        store.UriOf("boundaries/roi.geojson").Should().Be(store.Uri + "/boundaries/roi.geojson");
        using var again = StoreRegistry.Default.Open(store.Uri);
        again.Uri.Should().Be(store.Uri);
        (await ReadTextAsync(again, "boundaries/roi.geojson")).Should().Be("{}");
    }

    protected async Task PutAsync(IObjectStore store, string key, string content) => await PutAsync(store, key, Encoding.UTF8.GetBytes(content));

    protected async Task PutAsync(IObjectStore store, string key, byte[] content)
    {
        var file = Path.Combine(Scratch, "put-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllBytesAsync(file, content);
        await store.PublishFileAsync(key, file);
        File.Delete(file);
    }

    protected static async Task<byte[]> ReadBytesAsync(IObjectStore store, string key)
    {
        await using var stream = await store.OpenReadAsync(key);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    protected static async Task<string> ReadTextAsync(IObjectStore store, string key) => Encoding.UTF8.GetString(await ReadBytesAsync(store, key));

    private string WriteScratch(string name, string content)
    {
        var path = Path.Combine(Scratch, name);
        File.WriteAllText(path, content);
        return path;
    }
}
