using Detect.Engine.Scheduling;

namespace Detect.Engine.Tests.Scheduling;

public sealed class SchedulerTests : IDisposable
{
    private readonly TempStore _env = new();
    public void Dispose() => _env.Dispose();

    [Fact]
    public async Task Diamond_runs_the_shared_dependency_once_and_in_order()
    {
        var root = new DiamondTop { Scope = _env.Scope };
        var summary = await _env.RunAsync(root, new SchedulerOptions { Workers = 4 });

        summary.RootComplete.Should().BeTrue();
        _env.Ran().Should().HaveCount(4).And.OnlyHaveUniqueItems();
        _env.Ran().First().Should().Be("base");
        _env.Ran().Last().Should().Be("top");
        File.ReadAllText(_env.PathOf($"runs/{_env.Scope}/top.txt")).Should().Be("top<left<base<>>,right<base<>>>");
    }

    [Fact]
    public async Task A_complete_graph_runs_nothing_the_second_time()
    {
        await _env.RunAsync(new DiamondTop { Scope = _env.Scope });
        RunLog.Clear(_env.Scope);

        var summary = await _env.RunAsync(new DiamondTop { Scope = _env.Scope });

        summary.RootComplete.Should().BeTrue();
        _env.Ran().Should().BeEmpty();
        summary.Count(TaskOutcome.Ran).Should().Be(0);
        summary.Count(TaskOutcome.AlreadyComplete).Should().Be(5, "four steps and the wrapper");
    }

    [Fact]
    public async Task Deleting_a_middle_output_reruns_exactly_it_and_its_dependents()
    {
        await _env.RunAsync(new DiamondTop { Scope = _env.Scope });
        RunLog.Clear(_env.Scope);
        File.Delete(_env.PathOf($"runs/{_env.Scope}/left.txt"));

        var summary = await _env.RunAsync(new DiamondTop { Scope = _env.Scope });

        summary.RootComplete.Should().BeTrue();
        _env.Ran().Should().Equal("left", "top");
        File.Exists(_env.PathOf($"runs/{_env.Scope}/left.txt")).Should().BeTrue();
    }

    [Fact]
    public async Task Deleting_the_deepest_output_reruns_everything_above_it_but_not_its_siblings()
    {
        await _env.RunAsync(new DiamondTop { Scope = _env.Scope });
        await _env.RunAsync(new Step { Scope = _env.Scope, Name = "lonely" });
        RunLog.Clear(_env.Scope);
        File.Delete(_env.PathOf($"runs/{_env.Scope}/base.txt"));

        await _env.RunAsync(new DiamondTop { Scope = _env.Scope });
        await _env.RunAsync(new Step { Scope = _env.Scope, Name = "lonely" });

        _env.Ran().Should().BeEquivalentTo(["base", "left", "right", "top"]);
    }

    [Fact]
    public async Task Dynamic_dependencies_run_before_the_task_continues_and_are_recorded()
    {
        var task = new UsesDynamic { Scope = _env.Scope };
        var summary = await _env.RunAsync(task);

        summary.RootComplete.Should().BeTrue();
        _env.Ran().Should().Contain(["collector", "p1", "p2", "final"]);
        _env.Ran().Last().Should().Be("final");
        File.ReadAllText(_env.PathOf($"runs/{_env.Scope}/final.txt")).Should().Be("final:p1<>|p2<>");
        File.Exists(_env.PathOf($"runs/{_env.Scope}/collected.txt.deps.json")).Should().BeTrue();
    }

    [Fact]
    public async Task Deleting_an_output_of_a_dynamic_dependency_reruns_it_and_everything_downstream()
    {
        await _env.RunAsync(new UsesDynamic { Scope = _env.Scope });
        RunLog.Clear(_env.Scope);
        File.Delete(_env.PathOf($"runs/{_env.Scope}/p2.txt"));

        var summary = await _env.RunAsync(new UsesDynamic { Scope = _env.Scope });

        summary.RootComplete.Should().BeTrue();
        _env.Ran().Should().BeEquivalentTo(["p2", "collector", "final"]);
        _env.Ran().Last().Should().Be("final");
    }

    [Fact]
    public async Task Dynamic_dependencies_run_with_a_single_worker_without_deadlock()
    {
        var summary = await _env.RunAsync(new UsesDynamic { Scope = _env.Scope }, new SchedulerOptions { Workers = 1 });
        summary.RootComplete.Should().BeTrue();
    }

    [Fact]
    public async Task A_missing_local_cache_output_reruns_only_the_fetch()
    {
        await File.WriteAllTextAsync(Path.Combine(Directory.CreateDirectory(Path.GetDirectoryName(_env.PathOf($"inputs/{_env.Scope}/model.bin"))!).FullName, "model.bin"), "weights");
        var root = new CacheUsers { Scope = _env.Scope, CacheDir = _env.Cache };
        await _env.RunAsync(root);
        _env.Ran().Should().BeEquivalentTo(["fetch", "u1", "u2"]);
        RunLog.Clear(_env.Scope);

        File.Delete(Path.Combine(_env.Cache, _env.Scope, "model.bin"));
        var summary = await _env.RunAsync(root);

        summary.RootComplete.Should().BeTrue();
        _env.Ran().Should().Equal(["fetch"], summary.Render());
        File.Exists(Path.Combine(_env.Cache, _env.Scope, "model.bin")).Should().BeTrue();
    }

    [Fact]
    public async Task A_missing_external_input_fails_its_dependents_with_a_message_naming_it()
    {
        var summary = await _env.RunAsync(new CacheUsers { Scope = _env.Scope, CacheDir = _env.Cache });

        summary.RootComplete.Should().BeFalse();
        var failed = summary.With(TaskOutcome.Failed).Single();
        failed.Family.Should().Be(nameof(StoredInput));
        failed.Reason.Should().Contain($"inputs/{_env.Scope}/model.bin");
        summary.With(TaskOutcome.UpstreamFailed).Select(r => r.Family).Should().Contain(nameof(FetchToCache));
        _env.Ran().Should().BeEmpty();
    }

    [Fact]
    public async Task A_failure_stops_its_dependents_while_independent_branches_go_on()
    {
        var summary = await _env.RunAsync(new FailureAndIndependent { Scope = _env.Scope }, new SchedulerOptions { Workers = 2 });

        summary.RootComplete.Should().BeFalse();
        _env.Ran().Should().BeEquivalentTo(["fail", "independent"]);
        summary.With(TaskOutcome.Failed).Single().Reason.Should().Contain("boom");
        summary.With(TaskOutcome.UpstreamFailed).Select(r => r.Family).Should().BeEquivalentTo([nameof(DependsOnFailure), nameof(FailureAndIndependent)]);
        summary.Render().Should().Contain("failed").And.Contain("boom").And.Contain("not run because a dependency failed");
    }

    [Fact]
    public async Task A_failing_task_is_retried_and_then_succeeds()
    {
        var task = new Step { Scope = _env.Scope, Name = "flaky", FailTimes = 2 };

        var summary = await _env.RunAsync(task, new SchedulerOptions { Retries = 2 });

        summary.RootComplete.Should().BeTrue();
        _env.Ran().Should().Equal("flaky", "flaky", "flaky");
        summary.Reports.Single(r => r.Outcome == TaskOutcome.Ran).Attempts.Should().Be(3);
    }

    [Fact]
    public async Task Retries_run_out_and_the_task_fails()
    {
        var summary = await _env.RunAsync(new Step { Scope = _env.Scope, Name = "flaky", FailTimes = 5 }, new SchedulerOptions { Retries = 1 });

        summary.RootComplete.Should().BeFalse();
        _env.Ran().Should().HaveCount(2);
        summary.With(TaskOutcome.Failed).Single().Reason.Should().Contain("planned failure 2");
    }

    [Fact]
    public async Task A_task_over_its_time_limit_fails_with_a_timeout_and_leaves_no_output()
    {
        var summary = await _env.RunAsync(new Sleeper { Scope = _env.Scope });

        summary.RootComplete.Should().BeFalse();
        summary.With(TaskOutcome.Failed).Single().Reason.Should().Contain("timed out");
        File.Exists(_env.PathOf($"runs/{_env.Scope}/slept.txt")).Should().BeFalse();
    }

    [Fact]
    public async Task Four_workers_run_independent_tasks_concurrently()
    {
        var summary = await _env.RunAsync(new ProbeGroup { Scope = _env.Scope, Count = 4 }, new SchedulerOptions { Workers = 4 });

        summary.RootComplete.Should().BeTrue();
        ConcurrencyProbe.MaxConcurrent(_env.Scope).Should().Be(4);
    }

    [Fact]
    public async Task One_worker_never_overlaps_tasks()
    {
        await _env.RunAsync(new ProbeGroup { Scope = _env.Scope, Count = 3, UsesGpu = true }, new SchedulerOptions { Workers = 1 });
        ConcurrencyProbe.MaxConcurrent(_env.Scope).Should().Be(1);
    }

    [Fact]
    public async Task A_resource_limit_of_one_never_overlaps_even_with_many_workers()
    {
        var summary = await _env.RunAsync(new ProbeGroup { Scope = _env.Scope, Count = 4, UsesGpu = true },
            new SchedulerOptions { Workers = 4, ResourceLimits = new Dictionary<string, int> { ["gpu"] = 1 } });

        summary.RootComplete.Should().BeTrue();
        ConcurrencyProbe.MaxConcurrent(_env.Scope).Should().Be(1);
    }

    [Fact]
    public async Task No_deps_runs_only_the_task_and_refuses_when_requirements_are_missing()
    {
        var top = new Step { Scope = _env.Scope, Name = "solo", Graph = "solo:needed" };

        var refused = await _env.RunAsync(top, new SchedulerOptions { NoDeps = true });
        refused.RootComplete.Should().BeFalse();
        refused.With(TaskOutcome.NotRun).Single().Reason.Should().Contain("--no-deps");
        _env.Ran().Should().BeEmpty();

        await _env.RunAsync(new Step { Scope = _env.Scope, Name = "needed", Graph = "solo:needed" });
        File.Delete(_env.PathOf($"runs/{_env.Scope}/needed.txt"));
        await File.WriteAllTextAsync(_env.PathOf($"runs/{_env.Scope}/needed.txt"), "hand-made");
        RunLog.Clear(_env.Scope);
        var ran = await _env.RunAsync(top, new SchedulerOptions { NoDeps = true });
        ran.RootComplete.Should().BeTrue();
        _env.Ran().Should().Equal("solo");
    }

    [Fact]
    public async Task Two_schedulers_on_one_store_run_every_task_exactly_once()
    {
        var options = new SchedulerOptions { Workers = 3, LeasePoll = TimeSpan.FromMilliseconds(20) };
        var first = _env.Scheduler(options).RunAsync(new Root { Scope = _env.Scope, Names = ["a", "b", "c", "d"] });
        var second = _env.Scheduler(options).RunAsync(new Root { Scope = _env.Scope, Names = ["a", "b", "c", "d"] });

        var results = await Task.WhenAll(first, second);

        results.Should().OnlyContain(s => s.RootComplete, string.Join("\n", results.Select(r => r.Render())));
        _env.Ran().Should().BeEquivalentTo(["a", "b", "c", "d"]);
        results.Sum(r => r.Count(TaskOutcome.Ran) + r.Count(TaskOutcome.CompletedElsewhere)).Should().BeGreaterThanOrEqualTo(4);
        Directory.Exists(_env.PathOf(".detect/leases")) .Should().BeTrue();
        Directory.GetFiles(_env.PathOf(".detect/leases")).Should().BeEmpty("leases are released after each task");
    }

    [Fact]
    public async Task A_dependency_cycle_is_reported()
    {
        var act = () => _env.RunAsync(new Step { Scope = _env.Scope, Name = "x", Graph = "x:x" });
        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("*cycle*");
    }
}
