using Detect.Engine.Scheduling;
using Detect.Engine.Tests.Storage;
using Detect.Engine.Watch;
using Microsoft.Extensions.Time.Testing;

namespace Detect.Engine.Tests.Watch;

/// <summary>The poll loop on a fake clock: one listing per poll, sleeps doubling while idle, back to the shortest after a trigger.</summary>
public sealed class WatcherBackoffTests : IDisposable
{
    private readonly TempStore _env = new();
    public void Dispose() => _env.Dispose();

    [Fact]
    public async Task Idle_polls_back_off_to_the_interval_and_a_trigger_resets_the_sleep()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        var triggers = new CountingStore(new Detect.Engine.Storage.LocalObjectStore(Path.Combine(_env.Root, "incoming")));
        var runner = new RowRunner();
        runner.Scheduler = _env.Scheduler(new SchedulerOptions { Observers = [runner] });
        var template = new WatchStep { Scope = _env.Scope };
        var watcher = new TriggerWatcher(triggers, new RowTasks(template.Schema, template.AllParameters()), runner,
            new WatcherSettings { MinInterval = TimeSpan.FromSeconds(1), Interval = TimeSpan.FromSeconds(8) }, time);
        using var stop = new CancellationTokenSource();
        var run = watcher.RunAsync(stop.Token);

        await PollsReach(1);
        // Sleeps 1, 2, 4, 8, 8 s: polls at 1, 3, 7, 15, 23 s — and none in between.
        foreach (var sleep in new[] { 1, 2, 4, 8, 8 }) await AdvanceAndExpectOnePoll(TimeSpan.FromSeconds(sleep));
        triggers.Lists.Should().Be(6, "each poll is one listing");
        triggers.Heads.Should().Be(0, "polls never ask per object");

        // A trigger lands: the next poll (8 s later) takes it, and the one after comes 1 s later again.
        Directory.CreateDirectory(Path.Combine(_env.Root, "incoming"));
        await File.WriteAllTextAsync(Path.Combine(_env.Root, "incoming", "a.raw.csv"), "name\nfirst\n");
        await AdvanceAndExpectOnePoll(TimeSpan.FromSeconds(8));
        await WaitFor(() => File.Exists(_env.PathOf($"runs/{_env.Scope}/watch/first.txt")));
        await AdvanceAndExpectOnePoll(TimeSpan.FromSeconds(1));
        await AdvanceAndExpectOnePoll(TimeSpan.FromSeconds(2));

        stop.Cancel();
        var report = await run.WaitAsync(TimeSpan.FromSeconds(30));
        report.Interrupted.Should().BeTrue();
        report.Triggers.Should().ContainSingle().Which.Should().Match<TriggerOutcome>(t => t.Processed && t.Succeeded == 1);

        async Task AdvanceAndExpectOnePoll(TimeSpan sleep)
        {
            // The watcher sleeps exactly this long (its timer is set: advancing the clock now cannot race it) …
            await WaitFor(() => watcher.NextPoll - time.GetUtcNow() == sleep);
            var before = watcher.Polls;
            time.Advance(sleep - TimeSpan.FromMilliseconds(1));
            await Task.Delay(50);
            watcher.Polls.Should().Be(before, $"… and does not poll before the {sleep.TotalSeconds} s are over");
            time.Advance(TimeSpan.FromMilliseconds(1));
            await PollsReach(before + 1);
        }

        Task PollsReach(int n) => WaitFor(() => watcher.Polls >= n);
    }

    private static async Task WaitFor(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met within 20 s");
            await Task.Delay(10);
        }
    }
}
