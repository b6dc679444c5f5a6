using Detect.Engine.Cli;

namespace Detect.Engine.Tests.Cli;

public sealed class CliTests : IDisposable
{
    private readonly TempStore _env = new();
    public void Dispose() => _env.Dispose();

    private async Task<(int Code, string Out, string Err)> Detect(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var app = new CliApp(TempStore.Registry) { Out = stdout, Error = stderr, MainTask = nameof(DiamondTop) };
        var needsStore = args.Length > 0 && args[0] is "run" or "status" or "clean";
        var code = await app.RunAsync(needsStore ? [.. args, "--store", _env.Store.Root, "--cache-dir", _env.Cache] : args);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task An_unknown_task_exits_2_and_lists_the_known_ones()
    {
        var (code, _, err) = await Detect("run", "Nope");
        code.Should().Be(2);
        err.Should().Contain("Unknown task 'Nope'").And.Contain(nameof(DiamondTop));
    }

    [Fact]
    public async Task An_unknown_parameter_exits_2_and_names_it()
    {
        var (code, _, err) = await Detect("run", nameof(AllTypes), "--colour", "red");
        code.Should().Be(2);
        err.Should().Contain("--colour").And.Contain("--start-date");
    }

    [Fact]
    public async Task An_unparsable_date_exits_2_naming_the_parameter_and_the_form()
    {
        var (code, _, err) = await Detect("run", nameof(AllTypes), "--start-date", "2019-13-45");
        code.Should().Be(2);
        err.Should().Contain("--start-date").And.Contain("2019-13-45").And.Contain("YYYY-MM-DD");
    }

    [Fact]
    public async Task A_bad_engine_option_exits_2()
    {
        (await Detect("run", nameof(AllTypes), "--workers", "many")).Code.Should().Be(2);
        (await Detect("run", nameof(AllTypes), "--workers", "0")).Code.Should().Be(2);
        (await Detect("frobnicate")).Code.Should().Be(2);
    }

    [Fact]
    public async Task Describe_lists_parameters_with_types_defaults_and_help()
    {
        var (code, output, _) = await Detect("describe", nameof(AllTypes));
        code.Should().Be(0);
        output.Should().Contain("--start-date").And.Contain("date").And.Contain("2019-01-01")
            .And.Contain("--flavour").And.Contain("enum").And.Contain("a text")
            .And.Contain("--tags").And.Contain("list<string>")
            .And.MatchRegex(@"--workers\s+int\s+1\s+\(default\)\s+\(insignificant\)");
    }

    [Fact]
    public async Task List_names_every_task()
    {
        var (_, output, _) = await Detect("list");
        output.Should().Contain(nameof(Step)).And.Contain("test: writes one text file").And.Contain(nameof(DiamondTop));
    }

    [Fact]
    public async Task Deps_prints_a_tree_and_a_mermaid_graph()
    {
        var (code, tree, _) = await Detect("deps", nameof(DiamondTop), "--scope", "s");
        code.Should().Be(0);
        tree.Should().StartWith("DiamondTop(scope=s)").And.Contain("└── Step(").And.Contain("name=base").And.Contain("(see above)");

        var (_, mermaid, _) = await Detect("deps", nameof(DiamondTop), "--scope", "s", "--format", "mermaid");
        mermaid.Should().StartWith("```mermaid\nflowchart TD").And.Contain("-->");
        mermaid.Split("-->").Length.Should().Be(6, "the diamond has 5 edges (4 steps + the wrapper)");
    }

    [Fact]
    public async Task Run_status_clean_and_rerun()
    {
        var (code, output, _) = await Detect("run", nameof(DiamondTop), "--scope", _env.Scope, "--workers", "2");
        code.Should().Be(0);
        output.Should().Contain("5 ran").And.Contain("Result: success");

        var (_, status, _) = await Detect("status", nameof(DiamondTop), "--scope", _env.Scope);
        status.Should().Contain("[complete]").And.Contain("exists ").And.NotContain("missing");

        var (cleanCode, cleaned, _) = await Detect("clean", nameof(Step), "--scope", _env.Scope, "--name", "left", "--graph", DiamondTop.Edges);
        cleanCode.Should().Be(0);
        cleaned.Should().Contain("left.txt").And.Contain("1 output(s) deleted");

        var (_, afterClean, _) = await Detect("status", nameof(DiamondTop), "--scope", _env.Scope);
        afterClean.Should().Contain("missing").And.Contain("[pending ]");

        RunLog.Clear(_env.Scope);
        (await Detect("run", nameof(DiamondTop), "--scope", _env.Scope)).Code.Should().Be(0);
        _env.Ran().Should().Equal("left", "top");
    }

    [Fact]
    public async Task Clean_downstream_deletes_the_outputs_of_every_dependent()
    {
        (await Detect("run", nameof(DiamondTop), "--scope", _env.Scope)).Code.Should().Be(0);

        var (_, cleaned, _) = await Detect("clean", nameof(Step), "--scope", _env.Scope, "--name", "left", "--graph", DiamondTop.Edges, "--downstream");

        cleaned.Should().Contain("left.txt").And.Contain("top.txt").And.NotContain("right.txt").And.NotContain("base.txt");
    }

    [Fact]
    public async Task A_failed_run_exits_1_with_the_reason_in_the_summary()
    {
        var (code, output, _) = await Detect("run", nameof(FailureAndIndependent), "--scope", _env.Scope);
        code.Should().Be(1);
        output.Should().Contain("boom").And.Contain("Result: FAILED");
    }

    [Fact]
    public async Task A_task_family_parameter_sets_every_instance_of_that_task()
    {
        var (code, _, _) = await Detect("run", nameof(Root), "--scope", _env.Scope, "--names", "a,b", "--Step-fail-times", "1", "--retries", "1", "--retry-delay", "0");

        code.Should().Be(0);
        _env.Ran().Should().BeEquivalentTo(["a", "a", "b", "b"], "each Step failed once (from --Step-fail-times) and was retried");
    }

    [Fact]
    public async Task No_deps_runs_only_the_named_task()
    {
        (await Detect("run", nameof(Step), "--scope", _env.Scope, "--name", "solo", "--graph", "solo:needed", "--no-deps")).Code.Should().Be(1);
        _env.Ran().Should().BeEmpty();
    }
}
