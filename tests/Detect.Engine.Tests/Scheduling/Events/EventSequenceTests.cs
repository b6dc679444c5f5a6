using Microsoft.Extensions.Logging;
using Detect.Engine.Scheduling;
using Detect.Engine.Scheduling.Events;
using Microsoft.Extensions.Time.Testing;

namespace Detect.Engine.Tests.Scheduling.Events;

/// <summary>The events the scheduler reports, in order, on small graphs; time from a fake clock.</summary>
public sealed class EventSequenceTests : IDisposable
{
    private readonly TempStore _env = new();
    private readonly RecordingObserver _events = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));

    public void Dispose() => _env.Dispose();

    private Scheduler Scheduler(SchedulerOptions? options = null) =>
        new(TempStore.Registry, _env.Resolver, (options ?? new SchedulerOptions()) with
        {
            StagingDirectory = _env.Staging, TimeProvider = _time, Observers = [_events],
        });

    [Fact]
    public async Task A_task_that_fails_twice_is_retried_after_each_backoff_and_then_succeeds()
    {
        var options = new SchedulerOptions { Retries = 2, RetryDelay = TimeSpan.FromSeconds(10) };
        var run = Scheduler(options).RunAsync(new Step { Scope = _env.Scope, Name = "flaky", FailTimes = 2 });

        var first = (TaskRetrying)await _events.WaitFor(e => e is TaskRetrying);
        first.Attempt.Should().Be(1);
        first.Delay.Should().Be(TimeSpan.FromSeconds(10));
        first.Error.Should().Contain("planned failure 1");
        _events.Events.OfType<TaskStarted>().Should().ContainSingle("the next attempt waits for the backoff on the (fake) clock");

        _time.Advance(TimeSpan.FromSeconds(10));
        var second = (TaskRetrying)await _events.WaitFor(e => e is TaskRetrying { Attempt: 2 });
        second.Delay.Should().Be(TimeSpan.FromSeconds(20), "the backoff doubles");
        second.Time.Should().Be(first.Time + TimeSpan.FromSeconds(10));

        _time.Advance(TimeSpan.FromSeconds(20));
        var summary = await run;

        summary.RootComplete.Should().BeTrue();
        _events.KindsOf("flaky").Should().Equal("task-scheduled", "task-started", "task-retrying", "task-started", "task-retrying",
            "task-started", "task-succeeded");
        var succeeded = _events.Events.OfType<TaskSucceeded>().Single();
        succeeded.Attempts.Should().Be(3);
        succeeded.Duration.Should().Be(TimeSpan.FromSeconds(30), "durations come from the injected clock");
        _events.Events[0].Should().BeOfType<RunStarted>().Which.ToRun.Should().Be(1);
        _events.Events[^1].Should().BeOfType<RunFinished>().Which.Summary.RootComplete.Should().BeTrue();
    }

    [Fact]
    public async Task A_failure_is_reported_then_each_task_downstream_as_upstream_failed_naming_it()
    {
        var summary = await Scheduler(new SchedulerOptions { Workers = 2 }).RunAsync(new FailureAndIndependent { Scope = _env.Scope });

        summary.RootComplete.Should().BeFalse();
        var failing = new AlwaysFails { Scope = _env.Scope }.TaskId;
        var failed = _events.Events.OfType<TaskFailed>().Should().ContainSingle().Which;
        failed.TaskId.Should().Be(failing);
        failed.Error.Should().Be("InvalidOperationException: boom");
        failed.Attempts.Should().Be(1);
        var upstream = _events.Events.OfType<TaskUpstreamFailed>().ToList();
        upstream.Select(u => u.Family).Should().BeEquivalentTo([nameof(DependsOnFailure), nameof(FailureAndIndependent)]);
        upstream.Single(u => u.Family == nameof(DependsOnFailure)).FailedDependency.Should().Be(failing);
        upstream.Single(u => u.Family == nameof(FailureAndIndependent)).FailedDependency.Should().Be(new DependsOnFailure { Scope = _env.Scope }.TaskId);
        var kinds = _events.Events.Select(e => e.Kind).ToList();
        kinds.IndexOf("task-failed").Should().BeLessThan(kinds.IndexOf("task-upstream-failed"));
        _events.KindsOf("independent").Should().Equal("task-scheduled", "task-started", "task-succeeded");
        _events.KindsOf(nameof(DependsOnFailure)).Should().Equal(["task-scheduled", "task-upstream-failed"], "the dependent never starts");
    }

    [Fact]
    public async Task Dynamic_dependencies_are_scheduled_while_their_parent_runs_and_finish_before_it()
    {
        var summary = await Scheduler().RunAsync(new UsesDynamic { Scope = _env.Scope });

        summary.RootComplete.Should().BeTrue();
        var started = (RunStarted)_events.Events[0];
        started.ToRun.Should().Be(2, "final and the collector are in the plan; its parts appear only when it runs");
        started.Families.Select(f => (f.Family, f.Tasks, f.ToRun)).Should().BeEquivalentTo([(nameof(DynamicCollector), 1, 1), (nameof(UsesDynamic), 1, 1)]);
        started.Edges.Should().BeEquivalentTo([new FamilyEdge(nameof(DynamicCollector), nameof(UsesDynamic))]);
        var kinds = _events.Events.OfType<TaskEvent>().Select(e => $"{e.Kind} {e.Family}{(e is TaskScheduled s && !s.Planned ? " (asked for)" : "")}").ToList();
        kinds.Should().ContainInOrder(
            "task-scheduled UsesDynamic", "task-scheduled DynamicCollector", "task-started DynamicCollector",
            "task-scheduled Step (asked for)", "task-started Step", "task-succeeded Step",
            "task-succeeded DynamicCollector", "task-started UsesDynamic", "task-succeeded UsesDynamic");
        kinds.Count(k => k == "task-scheduled Step (asked for)").Should().Be(2);
    }

    [Fact]
    public async Task Already_complete_tasks_are_reported_once_each_and_nothing_runs()
    {
        await _env.RunAsync(new DiamondTop { Scope = _env.Scope });

        var summary = await Scheduler().RunAsync(new DiamondTop { Scope = _env.Scope });

        summary.Count(TaskOutcome.AlreadyComplete).Should().Be(5);
        var complete = _events.Events.OfType<TaskAlreadyComplete>().ToList();
        complete.Select(e => e.TaskId).Should().OnlyHaveUniqueItems().And.HaveCount(5);
        complete.Should().OnlyContain(e => e.Planned);
        _events.Events.OfType<TaskStarted>().Should().BeEmpty();
        ((RunStarted)_events.Events[0]).ToRun.Should().Be(0);
    }

    [Fact]
    public async Task Progress_and_log_lines_of_a_task_are_events_of_that_task()
    {
        var summary = await Scheduler().RunAsync(new Chatty { Scope = _env.Scope });

        summary.RootComplete.Should().BeTrue();
        var id = new Chatty { Scope = _env.Scope }.TaskId;
        var logged = _events.Events.OfType<TaskLogged>().Where(e => e.TaskId == id).ToList();
        logged.Select(l => (l.Level, l.Message)).Should().Equal(("Information", "working on 3 items"), ("Warning", "item 2 looks odd"));
        var progress = _events.Events.OfType<TaskProgress>().Where(e => e.TaskId == id).ToList();
        progress.Should().NotBeEmpty();
        progress[^1].Should().Match<TaskProgress>(p => p.Done == 3 && p.Total == 3 && p.Unit == "items");
    }

    [Fact]
    public async Task An_observer_that_throws_is_reported_and_does_not_fail_the_run()
    {
        var scheduler = new Scheduler(TempStore.Registry, _env.Resolver, new SchedulerOptions
        {
            StagingDirectory = _env.Staging, Observers = [new Throwing(), _events],
        });

        var summary = await scheduler.RunAsync(new Step { Scope = _env.Scope, Name = "x" });

        summary.RootComplete.Should().BeTrue();
        _events.Events.OfType<TaskSucceeded>().Should().ContainSingle("the other observers still hear everything");
    }

    private sealed class Throwing : ISchedulerObserver
    {
        public void OnEvent(SchedulerEvent e) => throw new InvalidOperationException("observer bug");
    }
}

/// <summary>Logs two lines and reports progress over three items.</summary>
public sealed class Chatty : WorkflowTask
{
    [Detect.Engine.Parameters.Parameter] public string Scope { get; init; } = "";
    public override IEnumerable<Target> Output() => [new StoreTarget($"runs/{Scope}/chatty.txt")];
    public override async Task RunAsync(TaskContext context)
    {
        context.Logger.LogInformation("working on {Count} items", 3);
        using (var progress = context.Progress(3, "items"))
        {
            for (var i = 1; i <= 3; i++)
            {
                if (i == 2) context.Logger.LogWarning("item {Index} looks odd", i);
                progress.Advance();
            }
        }
        await context.WriteTextAsync(Output().Single(), "ok");
    }
}
