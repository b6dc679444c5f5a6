using Detect.Engine.History;
using Detect.Engine.Tests.Storage.S3;

namespace Detect.Engine.Tests.History;

/// <summary>`detect run` writes its history into the store: record, event log in chunks, task outcomes, task logs.</summary>
public sealed class RunHistoryTests : IDisposable
{
    private readonly TempStore _env = new();
    public void Dispose()
    {
        StepHooks.Clear(_env.Scope);
        _env.Dispose();
    }

    private RunHistory History => new(_env.Store);

    [Fact]
    public async Task A_run_leaves_a_record_an_event_log_task_outcomes_and_the_logs_of_tasks_that_logged()
    {
        var (code, output, _) = await CliRunner.RunAsync(_env, "run", nameof(FailureAndIndependent), "--scope", _env.Scope, "--workers", "2");
        code.Should().Be(1);
        await CliRunner.RunAsync(_env, "run", nameof(Scheduling.Events.Chatty), "--scope", _env.Scope);

        var runs = await History.ListAsync();
        runs.Should().HaveCount(2);
        var failedRun = runs.Single(r => r.RootFamily == nameof(FailureAndIndependent));
        output.Should().Contain($"Run {failedRun.Id}: history in");
        failedRun.Outcome.Should().Be(RunRecord.Failed);
        failedRun.StateAt(DateTimeOffset.UtcNow).Should().Be(RunRecord.Failed);
        failedRun.Command.Should().StartWith(["detect", "run", nameof(FailureAndIndependent)]);
        failedRun.Host.Should().Be(Environment.MachineName);
        failedRun.Pid.Should().Be(Environment.ProcessId);
        failedRun.Parameters.Should().Contain("scope", _env.Scope);
        failedRun.Tasks.Should().Be(4);
        failedRun.ToRun.Should().Be(4);
        failedRun.Counts.Should().BeEquivalentTo(new OutcomeCounts { Ran = 1, Failed = 1, UpstreamFailed = 2 });
        failedRun.Failures.Should().ContainSingle().Which.Error.Should().Be("InvalidOperationException: boom");
        failedRun.Ended.Should().NotBeNull();
        failedRun.Edges.Select(e => $"{e[0]}>{e[1]}").Should().BeEquivalentTo(
            [$"{nameof(AlwaysFails)}>{nameof(DependsOnFailure)}", $"{nameof(DependsOnFailure)}>{nameof(FailureAndIndependent)}", $"Step>{nameof(FailureAndIndependent)}"]);

        var (events, lastChunk) = await History.ReadEventsAsync(failedRun.Id);
        lastChunk.Should().BeGreaterThan(0);
        events[0].Kind.Should().Be("run-started");
        events[^1].Should().Match<EventLine>(e => e.Kind == "run-finished" && e.Outcome == RunRecord.Failed);
        events.Where(e => e.Kind == "task-failed").Should().ContainSingle().Which.Error.Should().Contain("boom");
        events.Should().NotContain(e => e.Kind == "task-scheduled", "planned tasks are counted in the record, not logged one by one");

        var tasks = await History.ReadTasksAsync(failedRun.Id);
        tasks.Select(t => t.Outcome).Should().BeEquivalentTo(["ran", "failed", "upstream-failed", "upstream-failed"]);

        var chatty = runs.Single(r => r.RootFamily == nameof(Scheduling.Events.Chatty));
        var log = await History.ReadLogTailAsync(chatty.Id, chatty.RootTask);
        log.Should().Contain("INFO  working on 3 items").And.Contain("WARN  item 2 looks odd");
        (await History.ReadLogTailAsync(failedRun.Id, failedRun.RootTask)).Should().BeEmpty("a task that logs nothing has no log");
    }

    [Fact]
    public async Task Another_reader_sees_the_history_of_a_run_while_it_goes_on()
    {
        var release = new TaskCompletionSource();
        StepHooks.Set(_env.Scope, index => index == 1 ? release.Task : Task.CompletedTask);
        var held = new TracedStep { Scope = _env.Scope, Index = 1 }.TaskId;
        var run = Task.Run(() => CliRunner.RunAsync(_env, "run", nameof(TracedJoin), "--scope", _env.Scope, "--count", "3", "--chain"));
        try
        {
            RunReplay? replay = null;
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (DateTime.UtcNow < deadline)
            {
                var id = (await History.RunIdsAsync()).FirstOrDefault();
                if (id is not null && (replay = await RunReplay.LoadAsync(History, id)) is not null
                    // step 0 may still be seen running for a moment; step 1 is held until released
                    && replay.Tasks.Values.Any(t => t.State == TaskState.Running && t.Id == held)) break;
                await Task.Delay(100);
            }
            replay.Should().NotBeNull("the record is written when the run starts");
            replay!.Record.Outcome.Should().Be(RunRecord.Running);
            replay.Tasks.Values.Should().ContainSingle(t => t.State == TaskState.Running).Which.Id.Should().Be(held);
            replay.Tasks.Values.Should().ContainSingle(t => t.State == TaskState.Done);
            replay.Progress().Should().Be((4, 1));
            replay.Families().Single(f => f.Family == nameof(TracedStep)).Should().Match<FamilyState>(f => f.Done == 1 && f.Running == 1 && f.Pending == 1);
        }
        finally { release.TrySetResult(); }

        (await run).Code.Should().Be(0);
        var final = await RunReplay.LoadAsync(History, (await History.RunIdsAsync()).Single());
        final!.FinishedOutcome.Should().Be(RunRecord.Succeeded);
        final.Progress().Should().Be((4, 4));
    }

    [Fact]
    public async Task Runs_lists_newest_first_with_outcome_duration_and_counts()
    {
        await CliRunner.RunAsync(_env, "run", nameof(DiamondTop), "--scope", _env.Scope);
        await CliRunner.RunAsync(_env, "run", nameof(FailureAndIndependent), "--scope", _env.Scope);

        var (code, output, _) = await CliRunner.RunAsync(_env, "runs");

        code.Should().Be(0);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().StartWith("RUN").And.Contain("OUTCOME").And.Contain("DURATION");
        lines[1].Should().Contain("failed").And.Contain(nameof(FailureAndIndependent));
        lines[2].Should().Contain("succeeded").And.Contain(nameof(DiamondTop)).And.MatchRegex(@"\s5\s+5\s+0\s+0\s+0\s");
        (await CliRunner.RunAsync(_env, "runs", "--limit", "0")).Code.Should().Be(2);
    }

    [Fact]
    public async Task No_history_writes_none()
    {
        (await CliRunner.RunAsync(_env, "run", nameof(DiamondTop), "--scope", _env.Scope, "--no-history")).Code.Should().Be(0);
        (await History.RunIdsAsync()).Should().BeEmpty();
        (await CliRunner.RunAsync(_env, "runs")).Out.Should().Contain("No runs recorded");
    }
}
