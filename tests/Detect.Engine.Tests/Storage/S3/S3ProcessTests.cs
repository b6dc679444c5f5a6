using Amazon.S3.Model;
using Detect.Engine.Scheduling.Leases;
using Detect.Engine.Storage.S3;

namespace Detect.Engine.Tests.Storage.S3;

/// <summary>
/// Separate worker processes on the real S3 server: two concurrent runs of one graph, a worker SIGKILLed while
/// it uploads, and the secret kept out of everything a run prints.
/// </summary>
[Collection(SwiftCollection.Name)]
public sealed class S3ProcessTests(SwiftServerFixture server) : IDisposable
{
    private static readonly TimeSpan HostTimeout = TimeSpan.FromMinutes(2);
    private readonly string _scratch = Directory.CreateTempSubdirectory("detect-s3-proc-").FullName;
    private readonly string _scope = Guid.NewGuid().ToString("N")[..12];

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private HostProcess Host(string storeUri, IReadOnlyDictionary<string, string?>? environment, params string[] args) =>
        HostProcess.Start(_scratch, environment, [.. args, "--store", storeUri, "--cache-dir", Path.Combine(_scratch, "cache")]);

    [Fact]
    public async Task Two_processes_running_the_same_graph_run_every_task_exactly_once()
    {
        const int steps = 16;
        using var store = server.NewStore();
        var traces = Path.Combine(_scratch, "traces");
        string[] run = ["run", "TracedJoin", "--scope", _scope, "--count", $"{steps}", "--folders", "2",
            "--trace-dir", traces, "--sleep-ms", "250", "--workers", "4"];

        using var first = Host(store.Uri, null, run);
        using var second = Host(store.Uri, null, run);
        var codes = await Task.WhenAll(first.WaitAsync(HostTimeout), second.WaitAsync(HostTimeout));

        codes.Should().Equal([0, 0], first.Output + "\n----\n" + second.Output);
        var counts = Trace.Count(traces);
        counts.Keys.Should().BeEquivalentTo(Enumerable.Range(0, steps).Select(i => $"s{i}").Append("join"));
        counts.Should().OnlyContain(c => c.Value == 1, "a task runs in one process only:\n" + first.Output + "\n----\n" + second.Output);
        (await store.ListAsync("runs/")).Should().HaveCount(steps + 1);
        (await store.ListAsync(TaskLeases.Prefix)).Should().BeEmpty("every lease was released");
        await store.DeletePrefixAsync("");
    }

    [Fact]
    public async Task Worker_killed_mid_upload_leaves_no_object_only_parts_that_can_be_aborted()
    {
        using var store = server.NewStore();
        var key = $"runs/{_scope}/large.bin";
        var objectKey = store.Location.ObjectKey(key);
        // The worker talks to the server through a relay that stops passing its requests after 40 MiB, so its
        // 96 MiB multipart upload is certainly under way, and cannot finish, when it is killed.
        await using var relay = new StallingProxy(new Uri(server.Endpoint).Port, requestByteBudget: 40L << 20);
        using var worker = Host(store.Uri, new Dictionary<string, string?> { ["AWS_ENDPOINT_URL_S3"] = relay.Endpoint },
            "run", "LargeOutput", "--scope", _scope, "--size-mb", "96");

        await relay.Stalled.WaitAsync(HostTimeout);
        (await PendingUploadsAsync(store)).Should().Contain(u => u.Key == objectKey, "the worker started a multipart upload");
        worker.HasExited.Should().BeFalse("the worker must still be uploading when killed:\n" + worker.Output);
        worker.KillHard();
        await worker.WaitAsync(HostTimeout);

        (await store.ExistsAsync(key)).Should().BeFalse("an upload cut off by SIGKILL never shows as an object");
        (await store.ListAsync("runs/")).Should().BeEmpty();
        (await PendingUploadsAsync(store)).Should().ContainSingle(u => u.Key == objectKey, "the killed worker could not abort its upload");
        var leases = await store.ListAsync(TaskLeases.Prefix);
        leases.Should().ContainSingle("the killed worker's lease stays until it expires");
        using (var reader = new StreamReader(await store.OpenReadAsync(leases[0])))
            (await reader.ReadToEndAsync()).Should().Contain($":{worker.Id}:", "the lease names the dead holder");

        await Task.Delay(1100); // Swift rounds an upload's Initiated time up to the next second
        (await store.AbortIncompleteUploadsAsync("runs/", TimeSpan.Zero)).Should().Be(1);
        (await PendingUploadsAsync(store)).Should().BeEmpty();
        await store.DeletePrefixAsync("");
    }

    [Fact]
    public async Task The_secret_never_appears_in_verbose_logs_summaries_or_errors()
    {
        using var store = server.NewStore();
        var secret = Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY");
        secret.Should().Be(SwiftServerFixture.Secret);

        using var run = Host(store.Uri, null, "run", "TracedJoin", "--scope", _scope, "--count", "3", "-v");
        (await run.WaitAsync(HostTimeout)).Should().Be(0, run.Output);
        using var status = Host(store.Uri, null, "status", "TracedJoin", "--scope", _scope, "--count", "3", "-v");
        (await status.WaitAsync(HostTimeout)).Should().Be(0, status.Output);
        const string wrongSecret = "Wr0ngSecret-detect-e2e-7c1d";
        using var denied = Host(store.Uri, new Dictionary<string, string?> { ["AWS_SECRET_ACCESS_KEY"] = wrongSecret },
            "run", "TracedJoin", "--scope", _scope + "x", "--count", "3", "-v");
        (await denied.WaitAsync(HostTimeout)).Should().Be(1, denied.Output);

        run.Output.Should().Contain(store.Uri, "verbose logging names the store").And.Contain("Result: success");
        status.Output.Should().Contain(_scope);
        denied.Output.Should().Contain("Access denied").And.Contain(server.Endpoint);
        foreach (var output in new[] { run.Output, status.Output })
            output.Should().NotContain(secret);
        denied.Output.Should().NotContain(wrongSecret).And.NotContain(secret);
        await store.DeletePrefixAsync("");
    }

    private static async Task<List<MultipartUpload>> PendingUploadsAsync(S3ObjectStore store) =>
        (await store.Client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = store.Bucket, Prefix = store.Location.Prefix }))
        .MultipartUploads ?? [];
}
