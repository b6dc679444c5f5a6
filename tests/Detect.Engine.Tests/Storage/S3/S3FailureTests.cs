using Detect.Engine.Storage;
using Detect.Engine.Storage.S3;

namespace Detect.Engine.Tests.Storage.S3;

/// <summary>Clear errors for bad credentials, a missing bucket, an unreachable or stopped server; never the secret.</summary>
[Collection(SwiftCollection.Name)]
public sealed class S3FailureTests(SwiftServerFixture server) : IDisposable
{
    private const string WrongSecret = "wr0ng-Secret-For-Detect-Tests-5f3a";
    private readonly string _scratch = Directory.CreateTempSubdirectory("detect-s3-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public async Task Wrong_secret_is_access_denied_naming_bucket_and_endpoint_but_not_the_secret()
    {
        using var store = S3ObjectStore.Open($"s3://{SwiftServerFixture.Bucket}/runs", server.FastSettings with { SecretAccessKey = WrongSecret });
        var file = LocalFile();

        foreach (var operation in Operations(store, file))
        {
            var error = (await operation.Should().ThrowAsync<StoreException>()).Which;
            error.Message.Should().Contain("Access denied").And.Contain("HTTP 403")
                .And.Contain($"bucket '{SwiftServerFixture.Bucket}'").And.Contain(server.Endpoint)
                .And.Contain("AWS_SECRET_ACCESS_KEY");
            error.ToString().Should().NotContain(WrongSecret);
        }
        store.RequestCount.Should().Be(4, "a 403 is not retried");
    }

    [Fact]
    public async Task Missing_bucket_is_named_with_the_endpoint()
    {
        using var store = S3ObjectStore.Open("s3://no-such-bucket-for-detect/runs", server.FastSettings);
        var file = LocalFile();

        foreach (var operation in Operations(store, file))
        {
            var error = (await operation.Should().ThrowAsync<StoreException>()).Which;
            error.Message.Should().Contain("The S3 bucket 'no-such-bucket-for-detect' does not exist at " + server.Endpoint)
                .And.Contain("create the bucket");
        }
    }

    [Fact]
    public async Task Unreachable_endpoint_is_retried_then_named_without_the_secret()
    {
        var endpoint = $"http://127.0.0.1:{TestPorts.Unused()}";
        var settings = server.FastSettings with { Endpoint = endpoint, SecretAccessKey = WrongSecret };
        using var store = S3ObjectStore.Open($"s3://{SwiftServerFixture.Bucket}/runs", settings);

        var error = (await store.Invoking(s => s.ExistsAsync("a/b.json")).Should().ThrowAsync<StoreException>()).Which;

        error.Message.Should().StartWith($"Cannot reach the S3 endpoint {endpoint} for bucket '{SwiftServerFixture.Bucket}'")
            .And.Contain("s3://detect-test/runs/a/b.json").And.Contain("after 3 attempts").And.Contain("AWS_ENDPOINT_URL_S3");
        error.ToString().Should().NotContain(WrongSecret);
        store.RequestCount.Should().Be(3, "connection failures are retried up to MaxAttempts");
    }

    [Fact]
    public async Task Server_stopped_mid_read_fails_cleanly_and_a_request_waiting_through_the_restart_succeeds()
    {
        using var store = server.NewStore();
        var big = LocalFile(32 << 20);
        await store.PublishFileAsync("big.bin", big);
        var patient = S3ObjectStore.Open(store.Uri, server.FastSettings with
        {
            MaxAttempts = 200, RetryBaseDelay = TimeSpan.FromMilliseconds(100), RetryMaxDelay = TimeSpan.FromMilliseconds(300),
        });
        try
        {
            await using (var stream = await store.OpenReadAsync("big.bin"))
            {
                var buffer = new byte[1 << 20];
                await stream.ReadExactlyAsync(buffer);
                await server.StopAsync();
                var readRest = () => stream.CopyToAsync(Stream.Null);
                var error = (await readRest.Should().ThrowAsync<StoreException>()).Which;
                error.Message.Should().Contain("broke off mid-stream").And.Contain(store.UriOf("big.bin")).And.Contain(server.Endpoint);
            }

            var whileDown = (await store.Invoking(s => s.ExistsAsync("big.bin")).Should().ThrowAsync<StoreException>()).Which;
            whileDown.Message.Should().StartWith("Cannot reach the S3 endpoint " + server.Endpoint);

            var waiting = patient.ExistsAsync("big.bin");
            await Task.Delay(300);
            waiting.IsCompleted.Should().BeFalse("the request keeps retrying while the server is down");
            await server.StartAsync();
            (await waiting).Should().BeTrue();
        }
        finally
        {
            if (!server.Running) await server.StartAsync();
            patient.Dispose();
        }

        (patient.RequestCount).Should().BeGreaterThan(1, "connection errors were retried until the server was back");
        (await store.ExistsAsync("big.bin")).Should().BeTrue("the store's pooled connections recover after the restart");
        await store.DeletePrefixAsync("");
    }

    private static IEnumerable<Func<Task>> Operations(IObjectStore store, string file) =>
    [
        () => store.ExistsAsync("a/b.json"),
        () => store.ListAsync("a/"),
        () => store.PublishFileAsync("a/b.json", file),
        () => store.OpenReadAsync("a/b.json"),
    ];

    private string LocalFile(int length = 100)
    {
        var path = Path.Combine(_scratch, Guid.NewGuid().ToString("N"));
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
