using System.Text;
using Detect.Engine.History;
using Detect.Engine.Scheduling;
using Detect.Engine.Scheduling.Events;
using Detect.Engine.Scheduling.Leases;
using Detect.Engine.Tests.Scheduling.Events;
using Detect.Engine.Tests.Storage.S3;
using Detect.Engine.Tests.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Detect.Engine.Tests.Scheduling.Leases;

/// <summary>Several runs on one store share the ready work: a task leased elsewhere is set aside and asked for again later.</summary>
public sealed class WorkSharingTests : IDisposable
{
    private readonly TempStore _env = new();
    public void Dispose() => _env.Dispose();

    [Fact]
    public async Task A_task_leased_elsewhere_is_set_aside_other_work_goes_on_and_it_is_asked_for_again_with_backoff()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        var store = new CountingStore(_env.Store);
        using var resolver = new TargetResolver(store, _env.Cache);
        var events = new RecordingObserver();
        var held = new Step { Scope = _env.Scope, Name = "held" };
        // Another process holds "held" (its lease is good for an hour).
        await store.TryCreateExclusiveAsync(TaskLeases.KeyOf(held.TaskId),
            Encoding.UTF8.GetBytes($$"""{"Owner":"other-host:4242:abcd1234","ExpiresUtc":"{{time.GetUtcNow().AddHours(1).UtcDateTime:O}}","Host":"other-host","Pid":4242}"""));
        var leaseKey = TaskLeases.KeyOf(held.TaskId);

        var run = new Scheduler(TempStore.Registry, resolver, new SchedulerOptions
        {
            StagingDirectory = _env.Staging, TimeProvider = time, Observers = [events], LeasePoll = TimeSpan.FromSeconds(2),
        }).RunAsync(new Root { Scope = _env.Scope, Names = ["held", "free"] });

        var waiting = (TaskWaitingForLease)await events.WaitFor(e => e is TaskWaitingForLease);
        waiting.Holder.Should().Match<LeaseHolder>(h => h.Host == "other-host" && h.Pid == 4242);
        await events.WaitFor(e => e is TaskSucceeded s && s.TaskId.Contains("_free_"));
        _env.Ran().Should().Equal(["free"], "the free task ran while the held one waited");

        // Ten seconds of waiting: asked again after 1/2, 1, 2, 2, … seconds (a quarter of the 2 s poll, doubling) —
        // not in a busy loop.
        for (var i = 0; i < 100; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(5);
        }
        var asked = store.ExclusiveCreatesOf.GetValueOrDefault(leaseKey) - 1; // less the test's own create
        asked.Should().BeInRange(6, 8, "asks at 0, 0.5, 1.5, 3.5, 5.5, 7.5 and 9.5 s");
        events.Events.OfType<TaskWaitingForLease>().Should().ContainSingle("the wait is announced once per holder");

        // The other process finishes it: its output appears and its lease goes.
        Directory.CreateDirectory(Path.GetDirectoryName(_env.PathOf($"runs/{_env.Scope}/held.txt"))!);
        await File.WriteAllTextAsync(_env.PathOf($"runs/{_env.Scope}/held.txt"), "held<>");
        await store.DeleteAsync(leaseKey);
        time.Advance(TimeSpan.FromSeconds(2));
        var summary = await run.WaitAsync(TimeSpan.FromSeconds(30));

        summary.RootComplete.Should().BeTrue(summary.Render());
        summary.With(TaskOutcome.CompletedElsewhere).Should().ContainSingle().Which.TaskId.Should().Be(held.TaskId);
        _env.Ran().Should().Equal(["free"], "the held task never ran here");
    }

    [Fact]
    public async Task Three_processes_on_one_store_split_the_ready_tasks_and_each_task_runs_once()
    {
        const int steps = 30;
        var traces = Path.Combine(_env.Root, "traces");
        string[] run = ["run", nameof(TracedJoin), "--scope", _env.Scope, "--count", $"{steps}", "--trace-dir", traces, "--sleep-ms", "300",
            "--workers", "1", "--lease-poll", "0.5", "--store", _env.Store.Root, "--cache-dir", _env.Cache];
        var hosts = Enumerable.Range(0, 3).Select(_ => HostProcess.Start(_env.Root, null, run)).ToList();
        try
        {
            var codes = await Task.WhenAll(hosts.Select(h => h.WaitAsync(TimeSpan.FromMinutes(2))));
            codes.Should().Equal([0, 0, 0], string.Join("\n----\n", hosts.Select(h => h.Output)));

            var counts = Trace.Count(traces);
            counts.Keys.Should().BeEquivalentTo(Enumerable.Range(0, steps).Select(i => $"s{i}").Append("join"));
            counts.Should().OnlyContain(c => c.Value == 1, "a task runs in one process only");
            var history = new RunHistory(_env.Store);
            var runs = await history.ListAsync();
            runs.Should().HaveCount(3).And.OnlyContain(r => r.Outcome == RunRecord.Succeeded, "every process ends with the complete graph");
            var ranPerProcess = runs.Select(r => r.Counts.Ran).ToList();
            ranPerProcess.Should().OnlyContain(n => n >= 1, $"each process did some of the work ({string.Join(", ", ranPerProcess)} tasks)");
            runs.Sum(r => r.Counts.CompletedElsewhere).Should().BeGreaterThan(0, "each saw work done by the others");
            Directory.GetFiles(_env.PathOf(TaskLeases.Prefix)).Should().BeEmpty("every lease was released");
        }
        finally
        {
            foreach (var h in hosts) h.Dispose();
        }
    }
}
