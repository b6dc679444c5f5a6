using System.Security.Cryptography;
using Amazon.S3.Model;
using Detect.Engine.Storage;
using Detect.Engine.Storage.S3;

namespace Detect.Engine.Tests.Storage.S3;

/// <summary>Atomic publication of large files (multipart) against the real server, including failures mid-way.</summary>
[Collection(SwiftCollection.Name)]
public sealed class S3PublicationTests(SwiftServerFixture server) : IDisposable
{
    private const int MiB = 1 << 20;
    private readonly string _scratch = Directory.CreateTempSubdirectory("detect-s3-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    /// <summary>Parts of 5 MiB (the S3 minimum), one at a time so the hook sees a deterministic order.</summary>
    private S3Settings MultipartSettings => server.FastSettings with { MultipartThreshold = 5 * MiB, PartSize = 5 * MiB, PartUploadConcurrency = 1 };

    [Fact]
    public async Task Multipart_publish_shows_readers_only_the_old_or_the_complete_new_object()
    {
        using var store = S3ObjectStore.Open(server.NewStore().Uri, MultipartSettings);
        await store.PublishFileAsync("runs/r/big.tif", RandomFile("old.bin", 1000));
        var file = RandomFile("new.bin", 11 * MiB);
        var partsSeen = new List<int>();
        var completeBigLength = 1000L;
        store.Multipart.PartUploaded = async (part, ct) =>
        {
            partsSeen.Add(part);
            (await store.ExistsAsync("runs/r/fresh.tif", ct)).Should().BeFalse("a multipart object appears only when completed");
            await using var stream = await store.OpenReadAsync("runs/r/big.tif", ct);
            stream.Length.Should().Be(completeBigLength, "readers keep seeing the previous complete version");
        };

        await store.PublishFileAsync("runs/r/big.tif", file);
        completeBigLength = 11 * MiB;
        await store.PublishFileAsync("runs/r/fresh.tif", file);

        partsSeen.Should().Equal(1, 2, 3, 1, 2, 3);
        (await DownloadHashAsync(store, "runs/r/big.tif")).Should().Be(HashOf(file));
        (await DownloadHashAsync(store, "runs/r/fresh.tif")).Should().Be(HashOf(file));
        (await PendingUploadsAsync(store)).Should().BeEmpty();
    }

    [Fact]
    public async Task Cancelled_multipart_publish_leaves_no_object_and_no_upload()
    {
        using var store = S3ObjectStore.Open(server.NewStore().Uri, MultipartSettings);
        using var cts = new CancellationTokenSource();
        store.Multipart.PartUploaded = (part, _) =>
        {
            if (part == 1) cts.Cancel();
            return Task.CompletedTask;
        };

        var publish = () => store.PublishFileAsync("runs/r/big.tif", RandomFile("big.bin", 11 * MiB), cts.Token);

        await publish.Should().ThrowAsync<OperationCanceledException>();
        (await store.ExistsAsync("runs/r/big.tif")).Should().BeFalse();
        (await PendingUploadsAsync(store)).Should().BeEmpty("the upload is aborted, its parts deleted");
    }

    [Fact]
    public async Task Server_stopped_during_multipart_publish_fails_cleanly_and_a_rerun_after_restart_publishes()
    {
        using var store = S3ObjectStore.Open(server.NewStore().Uri, MultipartSettings);
        var file = RandomFile("big.bin", 11 * MiB);
        store.Multipart.PartUploaded = async (part, _) => { if (part == 1) await server.StopAsync(); };
        try
        {
            var publish = () => store.PublishFileAsync("runs/r/big.tif", file);

            var error = (await publish.Should().ThrowAsync<StoreException>()).Which;
            error.Message.Should().Contain("Cannot reach the S3 endpoint " + server.Endpoint)
                .And.Contain($"bucket '{SwiftServerFixture.Bucket}'").And.Contain(store.UriOf("runs/r/big.tif"));
        }
        finally
        {
            await server.StartAsync();
        }

        store.Multipart.PartUploaded = null;
        (await store.ExistsAsync("runs/r/big.tif")).Should().BeFalse("an incomplete multipart upload never shows as an object");
        // The abort could not reach the stopped server, so the upload's parts stay until someone aborts it
        // (on AWS, a lifecycle rule can); listings ignore them.
        (await PendingUploadsAsync(store)).Should().ContainSingle().Which.Key.Should().Be(store.Location.ObjectKey("runs/r/big.tif"));
        (await store.ListAsync("")).Should().BeEmpty();
        (await store.AbortIncompleteUploadsAsync("", TimeSpan.FromHours(1))).Should().Be(0, "the upload is younger than an hour");
        (await store.AbortIncompleteUploadsAsync("runs/", TimeSpan.Zero)).Should().Be(1);
        (await PendingUploadsAsync(store)).Should().BeEmpty();

        await store.PublishFileAsync("runs/r/big.tif", file);
        (await DownloadHashAsync(store, "runs/r/big.tif")).Should().Be(HashOf(file));
    }

    private async Task<List<MultipartUpload>> PendingUploadsAsync(S3ObjectStore store)
    {
        var response = await store.Client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest
        {
            BucketName = store.Bucket,
            Prefix = store.Location.Prefix,
        });
        return response.MultipartUploads ?? [];
    }

    private async Task<string> DownloadHashAsync(IObjectStore store, string key)
    {
        var path = Path.Combine(_scratch, "download-" + Guid.NewGuid().ToString("N"));
        await store.DownloadAsync(key, path);
        return HashOf(path);
    }

    private static string HashOf(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream));
    }

    private string RandomFile(string name, int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        var path = Path.Combine(_scratch, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
