using System.Text;
using Detect.Engine.Scheduling;
using Detect.Engine.Storage;
using Detect.Engine.Tests.Storage.S3;
using Detect.Engine.Watch;

namespace Detect.Engine.Tests.Watch;

/// <summary>What a watcher that died at each step of a trigger leaves, and how the next one finishes it (local store, one poll).</summary>
public sealed class ResumeTests : IDisposable
{
    private const string Stamp = "20261201T080000.000Z";
    private readonly TempStore _env = new();
    private readonly LocalObjectStore _incoming;

    public ResumeTests() => _incoming = new LocalObjectStore(Path.Combine(_env.Root, "incoming"));

    public void Dispose()
    {
        _incoming.Dispose();
        _env.Dispose();
    }

    private string Traces => Path.Combine(_env.Root, "traces");

    private async Task<WatchReport> OnePollAsync()
    {
        var runner = new RowRunner();
        runner.Scheduler = _env.Scheduler(new SchedulerOptions { Observers = [runner] });
        var template = new WatchStep { Scope = _env.Scope, TraceDir = Traces };
        var watcher = new TriggerWatcher(_incoming, new RowTasks(template.Schema, template.AllParameters()), runner,
            new WatcherSettings { Once = true, ClaimTtl = TimeSpan.FromSeconds(2) });
        return await watcher.RunAsync(CancellationToken.None);
    }

    private Task ExpiredClaimAsync() => _incoming.TryCreateExclusiveAsync(TriggerClaims.KeyOf("a.raw"), new ClaimRecord(
        "dead-host:1:abcd1234", "dead-host", 1, _incoming.UriOf("a.raw.csv"), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(-4)).ToJson());

    [Fact]
    public async Task Died_between_copy_and_delete_the_trigger_left_beside_its_processing_file_runs_once()
    {
        await WatchS3Tests.PutAsync(_incoming, $"a.raw.processing-{Stamp}.csv", "name\none\ntwo\n");
        await WatchS3Tests.PutAsync(_incoming, "a.raw.csv", "name\none\ntwo\n");
        await ExpiredClaimAsync();

        var report = await OnePollAsync();

        report.Triggers.Should().ContainSingle().Which.Should().Be(new TriggerOutcome(_incoming.UriOf("a.raw.csv"), true, 2, 0));
        (await _incoming.ListAsync("")).Should().BeEquivalentTo($"a.raw.success-{Stamp}.csv", $"a.raw.failure-{Stamp}.csv");
        Trace.Count(Traces).Should().Equal(new Dictionary<string, int> { ["one"] = 1, ["two"] = 1 });
    }

    [Fact]
    public async Task Died_after_writing_the_results_the_next_watcher_only_deletes_the_processing_file()
    {
        await WatchS3Tests.PutAsync(_incoming, $"a.raw.processing-{Stamp}.csv", "name\none\n");
        await WatchS3Tests.PutAsync(_incoming, $"a.raw.success-{Stamp}.csv", "name,detect_task,detect_run\none,x,y\n");
        await WatchS3Tests.PutAsync(_incoming, $"a.raw.failure-{Stamp}.csv", "name,detect_run,reason\n");
        await ExpiredClaimAsync();

        var report = await OnePollAsync();

        report.Triggers.Should().BeEmpty();
        (await _incoming.ListAsync("")).Should().BeEquivalentTo($"a.raw.success-{Stamp}.csv", $"a.raw.failure-{Stamp}.csv");
        Trace.Count(Traces).Should().BeEmpty("nothing ran again");
    }

    [Fact]
    public async Task A_claim_another_watcher_holds_is_left_alone()
    {
        await WatchS3Tests.PutAsync(_incoming, $"a.raw.processing-{Stamp}.csv", "name\none\n");
        await _incoming.TryCreateExclusiveAsync(TriggerClaims.KeyOf("a.raw"), new ClaimRecord(
            "live-host:1:abcd1234", "live-host", 1, _incoming.UriOf("a.raw.csv"), DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(1)).ToJson());

        (await OnePollAsync()).Triggers.Should().BeEmpty();
        (await _incoming.ListAsync("")).Should().Contain($"a.raw.processing-{Stamp}.csv");
        Encoding.UTF8.GetString((await File.ReadAllBytesAsync(_incoming.PathOf(TriggerClaims.KeyOf("a.raw"))))).Should().Contain("live-host");
        Trace.Count(Traces).Should().BeEmpty();
    }
}
