using Detect.Engine.History;
using Detect.Engine.Scheduling;
using Detect.Engine.Scheduling.Events;
using Detect.Engine.Scheduling.Leases;
using Detect.Engine.Tests.Scheduling.Events;
using Detect.Engine.Tests.Storage.S3;

namespace Detect.Engine.Tests.History;

/// <summary>Separate processes on one local store: a lease held by another process, and a run killed with SIGKILL.</summary>
public sealed class ProcessHistoryTests : IDisposable
{
    private static readonly TimeSpan HostTimeout = TimeSpan.FromMinutes(2);
    private readonly TempStore _env = new();
    private readonly string _traces;

    public ProcessHistoryTests() => _traces = Path.Combine(_env.Root, "traces");

    public void Dispose() => _env.Dispose();

    private HostProcess Host(params string[] args) =>
        HostProcess.Start(_env.Root, null, [.. args, "--store", _env.Store.Root, "--cache-dir", _env.Cache]);

    private async Task WaitUntil(Func<Task<bool>> condition, HostProcess host, string what)
    {
        var deadline = DateTime.UtcNow + HostTimeout;
        while (!await condition())
        {
            if (host.HasExited) throw new InvalidOperationException($"the host exited before {what}:\n{host.Output}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no {what}:\n{host.Output}");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task A_task_leased_by_another_process_is_reported_with_its_holder_and_then_as_completed_elsewhere()
    {
        var step = new TracedStep { Scope = _env.Scope, Index = 0, TraceDir = _traces, SleepMs = 2500 };
        using var other = Host("run", nameof(TracedStep), "--scope", _env.Scope, "--index", "0", "--trace-dir", _traces, "--sleep-ms", "2500");
        await WaitUntil(() => Task.FromResult(File.Exists(_env.PathOf(TaskLeases.KeyOf(step.TaskId)))), other, "lease");

        var events = new RecordingObserver();
        var summary = await new Scheduler(TempStore.Registry, _env.Resolver, new SchedulerOptions
        {
            StagingDirectory = _env.Staging, LeasePoll = TimeSpan.FromMilliseconds(200), Observers = [events],
        }).RunAsync(step);

        summary.RootComplete.Should().BeTrue(summary.Render());
        summary.Reports.Single().Outcome.Should().Be(TaskOutcome.CompletedElsewhere);
        var waiting = events.Events.OfType<TaskWaitingForLease>().Should().ContainSingle("one announcement per holder").Which;
        waiting.Holder.Pid.Should().Be(other.Id);
        waiting.Holder.Host.Should().Be(Environment.MachineName);
        waiting.Holder.RunId.Should().NotBeNull().And.MatchRegex("^[0-9A-Z]{26}$");
        events.KindsOf(step.TaskId).Should().Equal("task-scheduled", "task-waiting-for-lease", "task-completed-elsewhere");
        (await other.WaitAsync(HostTimeout)).Should().Be(0, other.Output);
        Trace.Count(_traces).Should().Equal(new Dictionary<string, int> { ["s0"] = 1 }, "the task ran in the other process only");
    }

    [Fact]
    public async Task A_run_killed_with_sigkill_is_shown_as_ended_abnormally_and_its_task_as_left_by_a_gone_holder()
    {
        var history = new RunHistory(_env.Store);
        using var run = Host("run", nameof(TracedJoin), "--scope", _env.Scope, "--count", "6", "--chain", "--sleep-ms", "400", "--lease-ttl", "1.5");
        RunReplay? replay = null;
        await WaitUntil(async () => (await history.RunIdsAsync()).FirstOrDefault() is { } id
            && (replay = await RunReplay.LoadAsync(history, id)) is not null && replay.Tasks.Values.Count(t => t.State == TaskState.Done) >= 1
            && replay.Tasks.Values.Any(t => t.State == TaskState.Running), run, "a finished and a running task in the history");
        replay!.Record.StateAt(DateTimeOffset.UtcNow).Should().Be(RunRecord.Running);

        run.KillHard();
        await run.WaitAsync(HostTimeout);
        await Task.Delay(TimeSpan.FromSeconds(3)); // past the record's stale-after (3 heartbeats of 0.5 s + a 1 s flush) and the lease's 1.5 s

        var record = (await history.ListAsync()).Single();
        record.Outcome.Should().Be(RunRecord.Running, "nobody could write the end of a killed run");
        record.StateAt(DateTimeOffset.UtcNow).Should().Be("abnormal");
        var (runsCode, runs, _) = await CliRunner.RunAsync(_env, "runs");
        runsCode.Should().Be(0);
        runs.Should().Contain("abnormal").And.Contain($"ended abnormally: no word from {Environment.MachineName} (pid {run.Id})");

        var (statusCode, status, _) = await CliRunner.RunAsync(_env, "status", nameof(TracedJoin), "--scope", _env.Scope, "--count", "6", "--chain");
        statusCode.Should().Be(1, "the requested task is not complete");
        status.Should().Contain("its holder is gone").And.Contain("[complete]").And.Contain("[pending ]").And.Contain("is not complete");

        var (rerunCode, rerun, _) = await CliRunner.RunAsync(_env, "run", nameof(TracedJoin), "--scope", _env.Scope, "--count", "6", "--chain", "--lease-ttl", "1.5");
        rerunCode.Should().Be(0, rerun);
        (await history.ListAsync()).Select(r => r.StateAt(DateTimeOffset.UtcNow)).Should().Equal("succeeded", "abnormal");
    }

    [Fact]
    public async Task Status_from_another_process_shows_a_running_task_with_its_host_run_and_progress()
    {
        using var run = Host("run", nameof(Crawler), "--scope", _env.Scope);
        var history = new RunHistory(_env.Store);
        await WaitUntil(async () => (await history.RunIdsAsync()).FirstOrDefault() is { } id
            && await RunReplay.LoadAsync(history, id) is { } r && r.Tasks.Values.Any(t => t.Done >= 2), run, "progress in the history");

        using var status = Host("status", nameof(Crawler), "--scope", _env.Scope);
        var code = await status.WaitAsync(HostTimeout);

        code.Should().Be(1, status.Output);
        var runId = (await history.RunIdsAsync()).Single();
        status.Stdout.Should().MatchRegex($@"\[running \] Crawler_\S+  on {Environment.MachineName} \(pid {run.Id}\), run {runId}, since \d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d UTC, \d+/40 pages");
        status.Stdout.Should().Contain("Tasks: 1 running.").And.Contain("is not complete.");
        run.KillHard();
    }
}

/// <summary>Reports progress over 40 pages, slowly (12 s).</summary>
public sealed class Crawler : WorkflowTask
{
    [Detect.Engine.Parameters.Parameter] public string Scope { get; init; } = "";
    public override IEnumerable<Target> Output() => [new StoreTarget($"runs/{Scope}/crawled.txt")];
    public override async Task RunAsync(TaskContext context)
    {
        using (var progress = context.Progress(40, "pages"))
            for (var i = 0; i < 40; i++)
            {
                await Task.Delay(300, context.CancellationToken);
                progress.Advance();
            }
        await context.WriteTextAsync(Output().Single(), "done");
    }
}
