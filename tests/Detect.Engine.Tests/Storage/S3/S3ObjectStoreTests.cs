using System.Text;
using Amazon.S3.Model;
using Detect.Engine.Storage;
using Detect.Engine.Storage.S3;

namespace Detect.Engine.Tests.Storage.S3;

[Collection(SwiftCollection.Name)]
public sealed class S3ObjectStoreTests(SwiftServerFixture server) : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("detect-s3-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public async Task Published_file_exists_reads_back_downloads_and_deletes()
    {
        using var store = server.NewStore();
        var file = WriteFile("a.json", "{\"sites\": [1, 2, 3]}");

        (await store.ExistsAsync("runs/r1/a.json")).Should().BeFalse();
        await store.PublishFileAsync("runs/r1/a.json", file);

        (await store.ExistsAsync("runs/r1/a.json")).Should().BeTrue();
        await using (var stream = await store.OpenReadAsync("runs/r1/a.json"))
            (await new StreamReader(stream).ReadToEndAsync()).Should().Be("{\"sites\": [1, 2, 3]}");
        var copy = Path.Combine(_scratch, "down", "a.json");
        await store.DownloadAsync("runs/r1/a.json", copy);
        (await File.ReadAllTextAsync(copy)).Should().Be("{\"sites\": [1, 2, 3]}");
        Directory.GetFiles(Path.GetDirectoryName(copy)!).Should().ContainSingle("no partial download file is left");

        await store.DeleteAsync("runs/r1/a.json");
        (await store.ExistsAsync("runs/r1/a.json")).Should().BeFalse();
        var read = () => store.OpenReadAsync("runs/r1/a.json");
        (await read.Should().ThrowAsync<ObjectNotFoundException>()).Which.Message.Should().Contain(store.UriOf("runs/r1/a.json"));
    }

    [Fact]
    public async Task Store_opened_from_the_environment_reaches_the_server()
    {
        using var store = StoreFactory.Open($"s3://{SwiftServerFixture.Bucket}/env-{Guid.NewGuid():N}");
        store.Should().BeOfType<S3ObjectStore>();
        (await store.TryCreateExclusiveAsync("x", "1"u8.ToArray())).Should().BeTrue();
        (await store.ListAsync("")).Should().Equal("x");
        await store.DeletePrefixAsync("");
    }

    [Fact]
    public async Task Listing_pages_through_more_than_1000_keys_and_delete_prefix_removes_them_in_batches()
    {
        using var store = server.NewStore();
        var expected = Enumerable.Range(0, 1001).Select(i => $"runs/r/heatmaps/tile_{i:D5}.tif.json").ToList();
        await PutManyAsync(store, expected.Append("runs/r/other.json").Append("runs/rx/sibling.json"));

        var before = store.RequestCount;
        var listed = await store.ListAsync("runs/r/heatmaps/");
        listed.Should().Equal(expected, "every key under the prefix, in ordinal order, across pages");
        (store.RequestCount - before).Should().Be(2, "1001 keys take two ListObjectsV2 pages of at most 1000");
        (await store.ListAsync("runs/r/")).Should().HaveCount(1002);
        await store.DeletePrefixAsync("runs/r/");
        (await store.ListAsync("runs/")).Should().Equal("runs/rx/sibling.json");
    }

    [Fact]
    public async Task Exclusive_create_succeeds_once_and_keeps_the_first_content()
    {
        using var store = server.NewStore();
        (await store.TryCreateExclusiveAsync("leases/task.lease", "owner-a"u8.ToArray())).Should().BeTrue();
        (await store.TryCreateExclusiveAsync("leases/task.lease", "owner-b"u8.ToArray())).Should().BeFalse();
        (await ReadTextAsync(store, "leases/task.lease")).Should().Be("owner-a");

        await store.DeleteAsync("leases/task.lease");
        (await store.TryCreateExclusiveAsync("leases/task.lease", "owner-b"u8.ToArray())).Should().BeTrue();
        (await ReadTextAsync(store, "leases/task.lease")).Should().Be("owner-b");
    }

    [Fact]
    public async Task Racing_exclusive_creates_have_exactly_one_winner_whose_content_stays()
    {
        using var store = server.NewStore();
        for (var round = 0; round < 3; round++)
        {
            var key = $"leases/race-{round}.lease";
            var results = await Task.WhenAll(Enumerable.Range(0, 8)
                .Select(i => store.TryCreateExclusiveAsync(key, Encoding.UTF8.GetBytes($"owner-{i}"))));

            results.Count(created => created).Should().Be(1, "the test server serialises conditional PUTs (scripts/swift)");
            (await ReadTextAsync(store, key)).Should().Be($"owner-{Array.IndexOf(results, true)}");
        }
    }

    [Fact]
    public async Task Publishing_over_an_existing_object_replaces_it()
    {
        using var store = server.NewStore();
        await store.PublishFileAsync("k", WriteFile("one", "first"));
        await store.PublishFileAsync("k", WriteFile("two", "second version"));
        (await ReadTextAsync(store, "k")).Should().Be("second version");
    }

    internal static async Task<string> ReadTextAsync(IObjectStore store, string key)
    {
        await using var stream = await store.OpenReadAsync(key);
        return await new StreamReader(stream, Encoding.UTF8).ReadToEndAsync();
    }

    private static async Task PutManyAsync(S3ObjectStore store, IEnumerable<string> keys) =>
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (key, ct) =>
            await store.Client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = store.Bucket,
                Key = store.Location.ObjectKey(key),
                ContentBody = key,
                UseChunkEncoding = false,
            }, ct));

    private string WriteFile(string name, string content)
    {
        var path = Path.Combine(_scratch, name);
        File.WriteAllText(path, content);
        return path;
    }
}
