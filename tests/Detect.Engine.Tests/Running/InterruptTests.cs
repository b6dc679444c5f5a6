using Detect.Engine.Scheduling;
using Detect.Engine.Scheduling.Events;
using Detect.Engine.Tests.Scheduling.Events;
using Detect.Engine.Tests.Scheduling;

namespace Detect.Engine.Tests.Running;

/// <summary>Cancelling a run in process: what the summary says, and that nothing of an interrupted task is left.</summary>
public sealed class InterruptTests : IDisposable
{
    private readonly TempStore _env = new();
    public void Dispose() => _env.Dispose();

    private IEnumerable<string> FilesUnder(string dir) => Directory.Exists(dir) ? Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories) : [];

    private async Task<RunInterruptedException> InterruptAsync(string mode)
    {
        var events = new RecordingObserver();
        using var cancel = new CancellationTokenSource();
        var run = _env.Scheduler(new SchedulerOptions { Workers = 1, Observers = [events] })
            .RunAsync(new InterruptGraph { Scope = _env.Scope, Mode = mode }, cancel.Token);
        await events.WaitFor(e => e is TaskStarted s && s.Family == nameof(InterruptSlow));
        await cancel.CancelAsync();
        var thrown = await FluentActions.Awaiting(() => run).Should().ThrowAsync<RunInterruptedException>();
        events.Events.OfType<RunFinished>().Should().ContainSingle().Which.Interrupted.Should().BeTrue();
        return thrown.Which;
    }

    [Fact]
    public async Task An_interrupted_run_reports_what_ran_what_was_interrupted_while_running_and_what_never_started()
    {
        var summary = (await InterruptAsync("block")).Summary;

        summary.Interrupted.Should().BeTrue();
        summary.RootComplete.Should().BeFalse();
        summary.With(TaskOutcome.Ran).Select(r => r.Family).Should().Equal(nameof(Step));
        summary.With(TaskOutcome.NotRun).Where(r => r.Reason == Interruption.WhileRunning).Select(r => r.Family).Should().Equal(nameof(InterruptSlow));
        summary.With(TaskOutcome.NotRun).Where(r => r.Reason == Interruption.BeforeStart).Select(r => r.Family)
            .Should().BeEquivalentTo([nameof(InterruptDownstream), nameof(InterruptGraph)]);
        var text = summary.Render();
        text.Should().Contain("* 1 ran:").And.Contain("* 1 were interrupted while running (nothing of them published):")
            .And.Contain("* 2 were not started (interrupted):").And.Contain("Result: INTERRUPTED — InterruptGraph_")
            .And.Contain("run the same command again");
        FilesUnder(_env.PathOf(".detect/leases")).Should().BeEmpty("leases are released");
        FilesUnder(_env.Staging).Should().BeEmpty("the interrupted attempt's staging is removed");
        FilesUnder(_env.PathOf($"runs/{_env.Scope}")).Select(Path.GetFileName).Should().Equal(["first.txt"], "nothing of the slow task is published");
    }

    [Fact]
    public async Task A_task_that_finishes_after_being_interrupted_is_waited_for_and_publishes_nothing()
    {
        var summary = (await InterruptAsync("linger")).Summary;

        summary.With(TaskOutcome.NotRun).Should().Contain(r => r.Family == nameof(InterruptSlow) && r.Reason == Interruption.WhileRunning);
        // It went on staging for 300 ms after the cancellation and returned normally: the run waited for it, so its
        // staging was removed only after it stopped writing there, and its (whole) outputs were not published.
        FilesUnder(_env.Staging).Should().BeEmpty();
        File.Exists(_env.PathOf($"runs/{_env.Scope}/slow-a.txt")).Should().BeFalse();
        File.Exists(_env.PathOf($"runs/{_env.Scope}/slow-b.txt")).Should().BeFalse();
    }

    [Fact]
    public async Task After_an_interruption_the_same_run_goes_on_from_where_it_stopped()
    {
        await InterruptAsync("block");
        RunLog.Clear(_env.Scope);

        var summary = await _env.RunAsync(new InterruptGraph { Scope = _env.Scope, Mode = "done" });

        summary.RootComplete.Should().BeTrue(summary.Render());
        _env.Ran().Should().Equal(["slow", "downstream"], "the step that ran before the interruption is complete");
        File.ReadAllText(_env.PathOf($"runs/{_env.Scope}/slow-b.txt")).Should().Be("whole");
    }
}
