using Detect.Engine.Cli;
using Detect.Engine.Scheduling;

namespace Detect.Engine.Tests.Scheduling.Planning;

/// <summary><c>run --dry-run</c>: what would run and why, dynamic requirements included where known; nothing written.</summary>
public sealed class DryRunTests : IDisposable
{
    private readonly TempStore _env = new();
    public void Dispose() => _env.Dispose();

    private Task<DryRunPlan> DryRunAsync(WorkflowTask root) => _env.Scheduler().DryRunAsync(root);

    private string Id(string name, string graph = "") => new Step { Scope = _env.Scope, Name = name, Graph = graph }.TaskId;

    /// <summary>Every file in the store with its size and time: a dry run must change none.</summary>
    private Dictionary<string, (long, DateTime)> Snapshot() =>
        Directory.EnumerateFiles(_env.Store.Root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => f, f => (new FileInfo(f).Length, File.GetLastWriteTimeUtc(f)));

    private async Task<(int Code, string Out, string Err)> Cli(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var code = await new CliApp(TempStore.Registry) { Out = stdout, Error = stderr }
            .RunAsync([.. args, "--store", _env.Store.Root, "--cache-dir", _env.Cache]);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task On_an_empty_store_every_task_would_run_dependencies_first_because_its_output_is_missing()
    {
        var plan = await DryRunAsync(new DiamondTop { Scope = _env.Scope });

        plan.Tasks.Select(t => t.TaskId).Should().Equal(Id("base", DiamondTop.Edges), Id("left", DiamondTop.Edges), Id("right", DiamondTop.Edges),
            Id("top", DiamondTop.Edges), new DiamondTop { Scope = _env.Scope }.TaskId);
        plan.Tasks[0].Reason.Should().Be($"output missing ({_env.Store.UriOf($"runs/{_env.Scope}/base.txt")})");
        plan.Tasks[^1].Reason.Should().Be($"upstream will rerun ({Id("top", DiamondTop.Edges)})");
        plan.GraphSize.Should().Be(5);
        plan.Complete.Should().Be(0);
        _env.Ran().Should().BeEmpty();
    }

    [Fact]
    public async Task After_an_output_is_deleted_it_and_what_depends_on_it_would_rerun_and_nothing_else()
    {
        (await _env.RunAsync(new DiamondTop { Scope = _env.Scope })).RootComplete.Should().BeTrue();
        File.Delete(_env.PathOf($"runs/{_env.Scope}/left.txt"));

        var plan = await DryRunAsync(new DiamondTop { Scope = _env.Scope });

        plan.Tasks.Select(t => (t.TaskId, t.Reason)).Should().Equal(
            (Id("left", DiamondTop.Edges), $"output missing ({_env.Store.UriOf($"runs/{_env.Scope}/left.txt")})"),
            (Id("top", DiamondTop.Edges), $"upstream will rerun ({Id("left", DiamondTop.Edges)})"),
            (new DiamondTop { Scope = _env.Scope }.TaskId, $"upstream will rerun ({Id("top", DiamondTop.Edges)})"));
        plan.Complete.Should().Be(2, "base and right are complete");
        plan.Render().Should().Contain("5 task(s) in the graph of DiamondTop_").And.Contain("2 complete; 3 would run")
            .And.Contain("By family: DiamondTop 1, Step 2");
    }

    [Fact]
    public async Task Dynamic_requirements_recorded_by_an_earlier_run_are_included()
    {
        (await _env.RunAsync(new UsesDynamic { Scope = _env.Scope })).RootComplete.Should().BeTrue();
        File.Delete(_env.PathOf($"runs/{_env.Scope}/p1.txt"));

        var plan = await DryRunAsync(new UsesDynamic { Scope = _env.Scope });

        var collector = new DynamicCollector { Scope = _env.Scope, Parts = ["p1", "p2"] }.TaskId;
        plan.Tasks.Select(t => t.TaskId).Should().Equal(Id("p1"), collector, new UsesDynamic { Scope = _env.Scope }.TaskId);
        plan.Tasks[0].Should().Be(new WouldRun(Id("p1"), nameof(Step), $"output missing ({_env.Store.UriOf($"runs/{_env.Scope}/p1.txt")})",
            collector, DynamicSource.Recorded));
        plan.Tasks[1].Reason.Should().Be($"upstream will rerun ({Id("p1")})");
        plan.Render().Should().Contain($"; dynamic requirement of {collector} (recorded)");
    }

    [Fact]
    public async Task Dynamic_requirements_a_task_can_plan_are_included_and_those_it_cannot_are_named()
    {
        var planned = new PlannedCollector { Scope = _env.Scope, Parts = ["x", "y"] };
        var plan = await DryRunAsync(planned);

        plan.Tasks.Select(t => t.TaskId).Should().BeEquivalentTo([Id("x"), Id("y"), planned.TaskId]);
        plan.Tasks[^1].TaskId.Should().Be(planned.TaskId, "its planned requirements come first");
        plan.Tasks.Where(t => t.Family == nameof(Step)).Should().OnlyContain(t => t.DynamicOf == planned.TaskId && t.Source == DynamicSource.Planned);

        var unplannable = new PlannedCollector { Scope = _env.Scope, Parts = ["x", "y"], Plannable = false };
        var unknown = await DryRunAsync(unplannable);
        unknown.Tasks.Select(t => t.TaskId).Should().Equal(unplannable.TaskId);
        unknown.DynamicUnknown.Should().Equal(unplannable.TaskId);
        unknown.Render().Should().Contain($"Not known before it runs: what {unplannable.TaskId} requires dynamically");
    }

    [Fact]
    public async Task Missing_external_inputs_are_named_as_what_the_run_would_fail_on()
    {
        var plan = await DryRunAsync(new UsesCache { Scope = _env.Scope, CacheDir = _env.Cache, Name = "a" });

        plan.MissingInputs.Should().Equal(_env.Store.UriOf($"inputs/{_env.Scope}/model.bin"));
        plan.Render().Should().Contain("Would fail: external input(s) missing from the store: " + _env.Store.UriOf($"inputs/{_env.Scope}/model.bin"));
    }

    [Fact]
    public async Task The_cli_dry_run_exits_0_and_writes_nothing_to_the_store_no_history_no_leases()
    {
        (await _env.RunAsync(new DiamondTop { Scope = _env.Scope }, new SchedulerOptions())).RootComplete.Should().BeTrue();
        File.Delete(_env.PathOf($"runs/{_env.Scope}/base.txt"));
        var before = Snapshot();
        RunLog.Clear(_env.Scope);

        var (code, output, err) = await Cli("run", nameof(DiamondTop), "--scope", _env.Scope, "--dry-run", "--workers", "2");

        code.Should().Be(0, err);
        output.Should().StartWith("===== Dry run: nothing was run or written =====")
            .And.Contain($"- {Id("base", DiamondTop.Edges)}: output missing (")
            .And.Contain($"- {Id("left", DiamondTop.Edges)}: upstream will rerun ({Id("base", DiamondTop.Edges)})")
            .And.NotContain("Execution summary");
        Snapshot().Should().BeEquivalentTo(before, "a dry run writes nothing: no history record, no lease, no output");
        Directory.Exists(_env.PathOf(".detect/runs")).Should().BeFalse("the run above had no history writer; neither has the dry run");
        _env.Ran().Should().BeEmpty();

        (await Cli("run", nameof(DiamondTop), "--scope", _env.Scope)).Code.Should().Be(0);
        var (_, nothing, _) = await Cli("run", nameof(DiamondTop), "--scope", _env.Scope, "--dry-run");
        nothing.Should().Contain($"Nothing to run: DiamondTop_").And.Contain("is complete (5 task(s) in its graph)");
    }

    [Fact]
    public async Task Commands_that_only_read_leave_a_new_store_empty_and_run_fills_it()
    {
        var fresh = Path.Combine(Path.GetTempPath(), "detect-fresh-store-" + Guid.NewGuid().ToString("N"));
        async Task<int> On(params string[] args) => await new CliApp(TempStore.Registry) { Out = new StringWriter(), Error = new StringWriter() }
            .RunAsync([.. args, "--store", fresh, "--cache-dir", _env.Cache]);
        try
        {
            (await On("run", nameof(DiamondTop), "--scope", _env.Scope, "--dry-run")).Should().Be(0);
            (await On("deps", nameof(DiamondTop), "--scope", _env.Scope)).Should().Be(0);
            (await On("status", nameof(DiamondTop), "--scope", _env.Scope)).Should().Be(CliApp.Failure, "status exits 1 while the task is not complete");
            (await On("runs")).Should().Be(0);
            Directory.EnumerateFileSystemEntries(fresh).Should().BeEmpty("a dry run, deps, status and runs write nothing: no write check, no lease, no history");

            (await On("run", nameof(DiamondTop), "--scope", _env.Scope)).Should().Be(0);
            File.Exists(Path.Combine(fresh, "runs", _env.Scope, "base.txt")).Should().BeTrue();
        }
        finally { if (Directory.Exists(fresh)) Directory.Delete(fresh, recursive: true); }
    }

    [Fact]
    public async Task Deps_shows_the_dynamic_requirements_recorded_in_the_store_unless_static()
    {
        (await _env.RunAsync(new UsesDynamic { Scope = _env.Scope })).RootComplete.Should().BeTrue();

        var (code, tree, _) = await Cli("deps", nameof(UsesDynamic), "--scope", _env.Scope);
        code.Should().Be(0);
        tree.Should().Contain("└── DynamicCollector(").And.Contain($"├── Step(name=p1, scope={_env.Scope}) [dynamic]").And.Contain($"└── Step(name=p2, scope={_env.Scope}) [dynamic]");

        var (_, mermaid, _) = await Cli("deps", nameof(UsesDynamic), "--scope", _env.Scope, "--format", "mermaid");
        mermaid.Split("-.->").Length.Should().Be(3, "two dotted arrows: the recorded dynamic requirements");

        var (_, declared, _) = await Cli("deps", nameof(UsesDynamic), "--scope", _env.Scope, "--static");
        declared.Should().NotContain("[dynamic]").And.NotContain("name=p1");
    }
}
