using Detect.Engine.Scheduling;

namespace Detect.Engine.Tests.Scheduling.Execution;

/// <summary>How ready tasks are started: resources, staging reuse, publication by rename.</summary>
public sealed class DispatchTests : IDisposable
{
    private readonly TempStore _env = new();
    public void Dispose() => _env.Dispose();

    [Fact]
    public async Task A_task_waiting_for_a_busy_resource_does_not_hold_up_ready_work_that_needs_none()
    {
        var root = new GpuAndCpu { Scope = _env.Scope };
        var summary = await _env.RunAsync(root, new SchedulerOptions { Workers = 2, ResourceLimits = new Dictionary<string, int> { ["gpu"] = 1 } });

        summary.RootComplete.Should().BeTrue(summary.Render());
        // gpu1 holds the gpu until cpu has run; gpu2 must wait for gpu1 — so cpu ran while gpu2 waited.
        _env.Ran().Should().BeEquivalentTo(["gpu1", "cpu", "gpu2"]);
        _env.Ran().Last().Should().Be("gpu2");
    }

    [Fact]
    public async Task Staged_outputs_are_renamed_into_a_local_store_and_staging_is_left_empty()
    {
        var options = new SchedulerOptions { StagingDirectory = null };
        var scheduler = new Scheduler(TempStore.Registry, _env.Resolver, options with { RetryDelay = TimeSpan.FromMilliseconds(10) });

        var summary = await scheduler.RunAsync(new Root { Scope = _env.Scope, Names = ["a", "b", "c"] });

        summary.RootComplete.Should().BeTrue();
        var staging = _env.PathOf(".detect/staging");
        Directory.Exists(staging).Should().BeTrue("by default a local store stages beside itself, on the same disk");
        Directory.EnumerateFileSystemEntries(staging, "*", SearchOption.AllDirectories).Should().BeEmpty();
        Directory.GetFiles(_env.PathOf($"runs/{_env.Scope}")).Select(Path.GetFileName).Should().BeEquivalentTo(["a.txt", "b.txt", "c.txt"]);
    }

    [Fact]
    public async Task Runs_of_one_scheduler_at_once_share_its_workers_and_a_task_they_both_need_runs_once()
    {
        var scheduler = _env.Scheduler(new SchedulerOptions { Workers = 1 });

        var results = await Task.WhenAll(
            scheduler.RunAsync(new ProbeGroup { Scope = _env.Scope, Count = 3, UsesGpu = true }),
            scheduler.RunAsync(new Root { Scope = _env.Scope, Names = ["shared", "only-b"] }),
            scheduler.RunAsync(new Root { Scope = _env.Scope, Names = ["shared", "only-c"] }));

        results.Should().OnlyContain(s => s.RootComplete);
        ConcurrencyProbe.MaxConcurrent(_env.Scope).Should().Be(1, "one worker for all the runs");
        _env.Ran().Where(n => n == "shared").Should().ContainSingle("the other run found it leased, then complete");
        results.Sum(r => r.Count(TaskOutcome.CompletedElsewhere) + r.Count(TaskOutcome.AlreadyComplete)).Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task Cancelling_a_run_stops_its_attempts_releases_its_leases_and_reports_it_interrupted()
    {
        var events = new Events.RecordingObserver();
        using var cancel = new CancellationTokenSource();
        var scheduler = _env.Scheduler(new SchedulerOptions { Workers = 2, Observers = [events] });
        var blocked = scheduler.RunAsync(new BlockedUntilCancelled { Scope = _env.Scope }, cancel.Token);
        await events.WaitFor(e => e is Detect.Engine.Scheduling.Events.TaskStarted s && s.Family == nameof(BlockedUntilCancelled));

        await cancel.CancelAsync();

        await FluentActions.Awaiting(() => blocked).Should().ThrowAsync<OperationCanceledException>();
        events.Events.OfType<Detect.Engine.Scheduling.Events.RunFinished>().Should().Contain(f => f.Interrupted);
        Directory.GetFiles(_env.PathOf(".detect/leases")).Should().BeEmpty("leases are released on cancellation");
        Directory.EnumerateFiles(_env.Staging, "*", SearchOption.AllDirectories).Should().BeEmpty("staging is removed");
        File.Exists(_env.PathOf($"runs/{_env.Scope}/blocked.txt")).Should().BeFalse();
    }

    [Fact]
    public void Summaries_list_the_first_tasks_by_id_and_count_the_rest_by_family()
    {
        var reports = Enumerable.Range(0, 30).Select(i => new TaskReport($"{(i % 2 == 0 ? "Even" : "Odd")}_{i:D2}", i % 2 == 0 ? "Even" : "Odd",
            TaskOutcome.AlreadyComplete, TimeSpan.Zero, 0, null)).Reverse().ToList();

        var text = new ExecutionSummary("Root", true, reports).Render();

        var lines = text.Split('\n', StringSplitOptions.TrimEntries);
        lines.Should().Contain("* 30 were already complete:");
        lines.Where(l => l.StartsWith("- ")).Should().Equal(Enumerable.Range(0, 12).Select(i => $"- Even_{2 * i:D2}"));
        lines.Should().ContainInOrder("... and 3 more Even", "... and 15 more Odd");
    }
}

/// <summary>gpu1 (holds the gpu until the cpu task ran), gpu2 (needs the gpu too) and cpu (needs nothing).</summary>
public sealed class GpuAndCpu : WrapperTask
{
    [Detect.Engine.Parameters.Parameter] public string Scope { get; init; } = "";
    public override IEnumerable<WorkflowTask> Requires() =>
        [new ResourceStep { Scope = Scope, Name = "gpu1", Gpu = true, WaitFor = "cpu" }, new ResourceStep { Scope = Scope, Name = "gpu2", Gpu = true },
         new ResourceStep { Scope = Scope, Name = "cpu" }];
}

public sealed class ResourceStep : WorkflowTask
{
    [Detect.Engine.Parameters.Parameter] public string Scope { get; init; } = "";
    [Detect.Engine.Parameters.Parameter] public string Name { get; init; } = "";
    [Detect.Engine.Parameters.Parameter] public bool Gpu { get; init; }
    [Detect.Engine.Parameters.Parameter] public string WaitFor { get; init; } = "";
    public override IReadOnlyDictionary<string, int> Resources => Gpu ? new Dictionary<string, int> { ["gpu"] = 1 } : base.Resources;
    public override IEnumerable<Target> Output() => [new StoreTarget($"runs/{Scope}/{Name}.txt")];
    public override async Task RunAsync(TaskContext context)
    {
        RunLog.Add(Scope, Name);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (WaitFor.Length > 0 && !RunLog.Of(Scope).Contains(WaitFor) && DateTime.UtcNow < deadline) await Task.Delay(10);
        await context.WriteTextAsync(Output().Single(), Name);
    }
}

/// <summary>Runs until its attempt is cancelled.</summary>
public sealed class BlockedUntilCancelled : WorkflowTask
{
    [Detect.Engine.Parameters.Parameter] public string Scope { get; init; } = "";
    public override IEnumerable<Target> Output() => [new StoreTarget($"runs/{Scope}/blocked.txt")];
    public override async Task RunAsync(TaskContext context)
    {
        await File.WriteAllTextAsync(context.StagePath(Output().Single()), "half");
        await Task.Delay(System.Threading.Timeout.Infinite, context.CancellationToken);
    }
}
