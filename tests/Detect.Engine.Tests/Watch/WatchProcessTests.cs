using Detect.Engine.History;
using Detect.Engine.Storage;
using Detect.Engine.Storage.S3;
using Detect.Engine.Tests.Storage.S3;
using Detect.Engine.Watch;

namespace Detect.Engine.Tests.Watch;

/// <summary>
/// Separate `watch` processes on one prefix of the real Swift S3 server: two at once never process a trigger or a
/// row twice; SIGKILL of the one holding a trigger leaves a claim the other resumes once it expires; SIGTERM stops
/// a watcher cleanly (exit 130, claims released).
/// </summary>
[Collection(SwiftCollection.Name)]
public sealed class WatchProcessTests(SwiftServerFixture server) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _scratch = Directory.CreateTempSubdirectory("detect-watch-proc-").FullName;
    private readonly string _scope = Guid.NewGuid().ToString("N")[..12];
    private readonly string _root = $"s3://{SwiftServerFixture.Bucket}/t-{Guid.NewGuid():N}";

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private string Traces => Path.Combine(_scratch, "traces");

    private HostProcess Watcher(params string[] options) => HostProcess.Start(_scratch, null,
        ["watch", _root + "/incoming", "--task", nameof(WatchStep), "--scope", _scope, "--trace-dir", Traces,
         "--store", _root + "/store", "--cache-dir", Path.Combine(_scratch, "cache"),
         "--min-interval", "0.2s", "--interval", "1s", "--lease-ttl", "3", "--lease-poll", "0.5", .. options]);

    [Fact]
    public async Task Two_watchers_at_once_process_each_trigger_once_and_run_each_row_once_then_stop_on_SIGTERM()
    {
        using var incoming = S3ObjectStore.Open(_root + "/incoming", server.FastSettings);
        using var first = Watcher("--max-concurrent-runs", "2", "--workers", "2");
        using var second = Watcher("--max-concurrent-runs", "2", "--workers", "2");
        var names = new List<string>();
        for (var t = 0; t < 6; t++)
        {
            var rows = Enumerable.Range(0, 3).Select(r => $"t{t}r{r}").ToList();
            names.AddRange(rows);
            await WatchS3Tests.PutAsync(incoming, $"batch{t}.raw.csv", "name,sleep_ms\n" + string.Concat(rows.Select(r => $"{r},150\n")));
        }

        var keys = await WaitForResultsAsync(incoming, 6, first, second);
        first.Terminate();
        second.Terminate();
        var codes = await Task.WhenAll(first.WaitAsync(Patience), second.WaitAsync(Patience));
        var output = first.Output + "\n----\n" + second.Output;

        codes.Should().Equal([130, 130], "SIGTERM stops a watcher as an interruption:\n" + output);
        output.Should().NotContain("   at ", "no stack trace");
        keys.Select(WatchS3Tests.Shape).Should().BeEquivalentTo(
            Enumerable.Range(0, 6).SelectMany(t => new[] { $"batch{t}.raw.success-<ts>.csv", $"batch{t}.raw.failure-<ts>.csv" }),
            "each trigger was processed once: one pair of results each, nothing left in processing");
        Trace.Count(Traces).Should().BeEquivalentTo(names.ToDictionary(n => n, _ => 1), "each row's task ran once, in one process:\n" + output);
        foreach (var t in Enumerable.Range(0, 6))
        {
            var success = await WatchS3Tests.ReadCsvAsync(incoming, keys.Single(k => k.StartsWith($"batch{t}.raw.success-")));
            success.Skip(1).Select(r => r[0]).Should().BeEquivalentTo(Enumerable.Range(0, 3).Select(r => $"t{t}r{r}"));
        }
        (await incoming.ListAsync(TriggerClaims.Prefix)).Should().BeEmpty("claims are released");
        using var store = S3ObjectStore.Open(_root + "/store", server.FastSettings);
        var runs = await new RunHistory(store).ListAsync(100);
        runs.Should().HaveCount(18).And.OnlyContain(r => r.Outcome == RunRecord.Succeeded);
        runs.Select(r => r.Trigger).Distinct().Should().HaveCount(18, "one run per row");
    }

    [Fact]
    public async Task A_watcher_killed_mid_run_leaves_its_claim_and_the_other_resumes_it_once_the_lease_expires()
    {
        using var incoming = S3ObjectStore.Open(_root + "/incoming", server.FastSettings);
        var rows = Enumerable.Range(0, 6).Select(r => $"row{r}").ToList();
        await WatchS3Tests.PutAsync(incoming, "long.raw.csv", "name,sleep_ms\n" + string.Concat(rows.Select(r => $"{r},600\n")));
        using var a = Watcher();
        using var b = Watcher();

        // Whoever claimed it is killed once two of its rows are done.
        var claim = await WaitForAsync(async () => await new TriggerClaims(incoming, TimeSpan.FromSeconds(3), TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance).ReadAsync("long.raw", default), a, b);
        var (holder, other) = claim.Pid == a.Id ? (a, b) : (b, a);
        await WaitForAsync(() => Task.FromResult(Trace.Count(Traces).Count >= 3 ? "" : null), a, b);
        holder.KillHard();
        await holder.WaitAsync(Patience);
        var doneBeforeKill = (await ListStoreOutputsAsync()).ToHashSet();
        doneBeforeKill.Should().HaveCountGreaterThanOrEqualTo(2);

        var keys = await WaitForResultsAsync(incoming, 1, other);
        other.Terminate();
        (await other.WaitAsync(Patience)).Should().Be(130, other.Output);

        other.Output.Should().Contain("expired").And.Contain("taking it over").And.Contain("resuming");
        keys.Select(WatchS3Tests.Shape).Should().BeEquivalentTo(["long.raw.success-<ts>.csv", "long.raw.failure-<ts>.csv"]);
        var success = await WatchS3Tests.ReadCsvAsync(incoming, keys.Single(k => k.Contains(".success-")));
        success.Skip(1).Select(r => r[0]).Should().BeEquivalentTo(rows, "every row ends complete");
        var traces = Trace.Count(Traces);
        foreach (var done in doneBeforeKill) traces[done].Should().Be(1, $"{done} was complete before the kill and is not redone");
        traces.Values.Sum().Should().BeLessThanOrEqualTo(rows.Count + 1, "at most the row running at the kill ran twice");
    }

    [Fact]
    public async Task SIGTERM_mid_run_cancels_the_attempt_releases_its_lease_and_the_claim_and_the_next_watcher_finishes_the_trigger()
    {
        using var incoming = S3ObjectStore.Open(_root + "/incoming", server.FastSettings);
        await WatchS3Tests.PutAsync(incoming, "slow.raw.csv", "name,sleep_ms\nquick,0\nslow,\n"); // slow: the command line's sleep
        using var watcher = Watcher("--max-concurrent-runs", "2", "--workers", "2", "--sleep-ms", "60000");
        await WaitForAsync(() => Task.FromResult(Trace.Count(Traces).ContainsKey("slow") ? "" : null), watcher);
        await WaitForAsync(async () => (await ListStoreOutputsAsync()).Contains("quick") ? "" : null, watcher);

        watcher.Terminate();
        (await watcher.WaitAsync(Patience)).Should().Be(130, watcher.Output);
        watcher.Output.Should().Contain("Interrupted: stopping").And.Contain("interrupted (claims released");
        var keys = await incoming.ListAsync("");
        keys.Select(WatchS3Tests.Shape).Should().BeEquivalentTo(["slow.raw.processing-<ts>.csv"], "no claim, no results: left to resume at once");
        using (var store = S3ObjectStore.Open(_root + "/store", server.FastSettings))
            (await store.ListAsync(".detect/leases/")).Should().BeEmpty("the cancelled attempt released its task lease");

        // The next watcher resumes at once (no lease to wait for); the quick row is complete and not redone.
        using var next = Watcher("--once", "--max-concurrent-runs", "2", "--sleep-ms", "0");
        var nextCode = await next.WaitAsync(Patience);
        nextCode.Should().Be(0, next.Output);
        Trace.Count(Traces).Should().BeEquivalentTo(new Dictionary<string, int> { ["quick"] = 1, ["slow"] = 2 });
        (await incoming.ListAsync("")).Select(WatchS3Tests.Shape).Should().BeEquivalentTo(["slow.raw.success-<ts>.csv", "slow.raw.failure-<ts>.csv"]);
    }

    /// <summary>The names whose WatchStep output exists in the store.</summary>
    private async Task<IEnumerable<string>> ListStoreOutputsAsync()
    {
        using var store = S3ObjectStore.Open(_root + "/store", server.FastSettings);
        return (await store.ListAsync($"runs/{_scope}/watch/")).Select(k => Path.GetFileNameWithoutExtension(k));
    }

    private static async Task<IReadOnlyList<string>> WaitForResultsAsync(IObjectStore incoming, int triggers, params HostProcess[] hosts) =>
        await WaitForAsync(async () =>
        {
            var keys = (await incoming.ListAsync("")).Where(k => !k.StartsWith(".detect-watch/", StringComparison.Ordinal)).ToList();
            return keys.Count(k => k.Contains(".failure-")) == triggers && keys.Count(k => k.Contains(".success-")) == triggers
                   && !keys.Any(k => k.Contains(".processing-") || k.EndsWith(".raw.csv")) ? keys : null;
        }, hosts);

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, params HostProcess[] hosts) where T : class
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            if (await probe() is { } result) return result;
            if (hosts.All(h => h.HasExited) || DateTime.UtcNow > deadline)
                throw new TimeoutException("the watchers did not get there:\n" + string.Join("\n----\n", hosts.Select(h => h.Output)));
            await Task.Delay(100);
        }
    }
}
