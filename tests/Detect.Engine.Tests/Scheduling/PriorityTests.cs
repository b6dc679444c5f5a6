using System.Text;
using Detect.Engine.Cli;
using Detect.Engine.Scheduling;
using Detect.Engine.Scheduling.Leases;
using Microsoft.Extensions.Time.Testing;

namespace Detect.Engine.Tests.Scheduling;

/// <summary>Ready tasks start by priority (higher first, ties in plan order), and what a task needs inherits its priority.</summary>
public sealed class PriorityTests : IDisposable
{
    private readonly TempStore _env = new();
    public void Dispose() => _env.Dispose();

    private async Task<IReadOnlyList<string>> RunOrder(string[] items, SchedulerOptions? options = null)
    {
        var summary = await _env.RunAsync(new PriorityGroup { Scope = _env.Scope, Items = items }, options ?? new SchedulerOptions { Workers = 1 });
        summary.RootComplete.Should().BeTrue(summary.Render());
        return _env.Ran();
    }

    [Fact]
    public async Task With_one_worker_higher_priority_starts_first_and_ties_keep_plan_order()
    {
        (await RunOrder(["a:0", "b:5", "c:1", "d:0", "e:-2", "f:0"])).Should().Equal("b", "c", "a", "d", "f", "e");
    }

    [Fact]
    public async Task Without_priorities_tasks_start_in_plan_order()
    {
        (await RunOrder(["a:0", "b:0", "c:0"])).Should().Equal("a", "b", "c");
    }

    [Fact]
    public async Task What_a_high_priority_task_requires_runs_at_its_priority_as_in_luigi()
    {
        // "high" needs "dep" (priority 0 itself): dep inherits 10, so it goes before "other", and then high does.
        (await RunOrder(["other:0", "high:10:dep"])).Should().Equal("dep", "high", "other");
    }

    [Fact]
    public async Task Dynamic_requirements_inherit_the_priority_of_the_task_that_asks_for_them()
    {
        (await _env.RunAsync(new UrgentGroup { Scope = _env.Scope }, new SchedulerOptions { Workers = 1 })).RootComplete.Should().BeTrue();

        // urgent (5) starts first and gives its worker up while it waits for p1 and p2, which run at 5 before "other" (0).
        _env.Ran().Should().Equal("urgent", "p1", "p2", "other");
    }

    [Fact]
    public async Task A_family_priority_overrides_its_tasks_own()
    {
        var options = new SchedulerOptions { Workers = 1, FamilyPriorities = new Dictionary<string, int> { [nameof(Step)] = 3 } };
        (await RunOrder(["a:1", "step:s", "b:2"], options)).Should().Equal("s", "b", "a");
    }

    [Fact]
    public async Task The_command_line_sets_a_family_priority_with_Task_priority()
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var app = new CliApp(TempStore.Registry) { Out = stdout, Error = stderr };

        var code = await app.RunAsync(["run", nameof(PriorityGroup), "--scope", _env.Scope, "--items", "a:1,step:s,b:0", "--Step-priority", "2",
            "--workers", "1", "--store", _env.Store.Root, "--cache-dir", _env.Cache]);

        code.Should().Be(0, stderr.ToString());
        _env.Ran().Should().Equal("s", "a", "b");
    }

    [Fact]
    public async Task A_priority_that_is_not_a_whole_number_is_a_usage_error_naming_it()
    {
        var stderr = new StringWriter();
        var code = await new CliApp(TempStore.Registry) { Out = new StringWriter(), Error = stderr }
            .RunAsync(["run", nameof(PriorityGroup), "--scope", _env.Scope, "--Step-priority", "high", "--store", _env.Store.Root]);

        code.Should().Be(CliApp.UsageError);
        stderr.ToString().Should().Contain("--Step-priority expects a whole number").And.Contain("'high'");
        _env.Ran().Should().BeEmpty();
    }

    [Fact]
    public async Task Once_work_is_shared_with_another_process_priority_still_comes_before_the_random_start_point()
    {
        // The start point is random: three runs, so that a scheduler ignoring priority cannot pass by luck (1 in 11 each).
        for (var i = 0; i < 3; i++)
        {
            var scope = $"{_env.Scope}-{i}";
            try { await SharedRunOrderObservesPriority(scope); }
            finally { RunLog.Clear(scope); }
        }
    }

    private async Task SharedRunOrderObservesPriority(string scope)
    {
        // Another process holds "held" (priority 9, so it is tried first): this run sets it aside and from then on takes
        // ready tasks from a random point of the plan — but among the highest priority ready first.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        var held = new Prioritized { Scope = scope, Name = "held" };
        await _env.Store.TryCreateExclusiveAsync(TaskLeases.KeyOf(held.TaskId),
            Encoding.UTF8.GetBytes($$"""{"Owner":"other-host:4242:abcd1234","ExpiresUtc":"{{time.GetUtcNow().AddHours(1).UtcDateTime:O}}","Host":"other-host","Pid":4242}"""));
        string[] low = ["l0", "l1", "l2", "l3", "l4", "l5", "l6", "l7"];
        string[] items = ["held:9", .. low[..4].Select(n => n + ":0"), "h0:5", "h1:5", .. low[4..].Select(n => n + ":0")];
        using var cancel = new CancellationTokenSource();

        var run = _env.Scheduler(new SchedulerOptions { Workers = 1, TimeProvider = time })
            .RunAsync(new PriorityGroup { Scope = scope, Items = items }, cancel.Token);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (RunLog.Of(scope).Count < 10 && DateTime.UtcNow < deadline) await Task.Delay(20);
        await cancel.CancelAsync();
        await FluentActions.Awaiting(() => run).Should().ThrowAsync<OperationCanceledException>();

        var ran = RunLog.Of(scope);
        ran.Should().HaveCount(10, "every task but the held one ran");
        ran.Take(2).Should().BeEquivalentTo(["h0", "h1"], "priority 5 before priority 0, whatever the start point");
        ran.Skip(2).Should().BeEquivalentTo(low);
    }
}
