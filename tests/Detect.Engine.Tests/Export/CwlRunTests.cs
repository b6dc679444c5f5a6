using Detect.TestSupport;

namespace Detect.Engine.Tests.Export;

/// <summary>
/// The exported three-level graph run by the real runners (cwltool, Toil single_machine) on a local store, each
/// step a separate `detect run --no-deps` process (this test assembly, as a CLI host, behind a `detect` on PATH):
/// the store ends byte for byte as after a plain `detect run`, every task ran once, and a second export + run does
/// nothing. Steps have at most two jobs here, so jobs that run several tasks one after another are exercised too.
/// </summary>
public sealed class CwlRunTests : IDisposable
{
    private static readonly TimeSpan RunnerTimeout = TimeSpan.FromMinutes(5);
    private readonly string _root = Directory.CreateTempSubdirectory("detect-cwl-run-").FullName;
    private readonly string _scope = Guid.NewGuid().ToString("N")[..12];

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        if (Directory.Exists(CwlSeedCache.FolderOf(_scope))) Directory.Delete(CwlSeedCache.FolderOf(_scope), recursive: true);
    }

    private string StoreDir(string name) => Path.Combine(_root, name);

    // No --cache-dir: in process it would move the cache of every test running beside this one.
    private static Task<(int Code, string Out, string Err)> Cli(params string[] args) => TestCli.RunAsync(args);

    private async Task SeedAsync(string storeDir)
    {
        var seed = Path.Combine(storeDir, CwlSeed.TargetFor(_scope).Key);
        Directory.CreateDirectory(Path.GetDirectoryName(seed)!);
        await File.WriteAllTextAsync(seed, "seed-42");
    }

    [Theory]
    [InlineData(CwlRunnerKind.Cwltool)]
    [InlineData(CwlRunnerKind.Toil)]
    public async Task The_exported_graph_runs_to_the_same_store_as_a_plain_run_and_a_second_export_does_nothing(CwlRunnerKind runner)
    {
        var plain = StoreDir("plain");
        await SeedAsync(plain);
        var (plainCode, plainOut, _) = await Cli("run", nameof(CwlReport), "--scope", _scope, "--title", "a: 'b' c", "--store", plain);
        plainCode.Should().Be(0, plainOut);

        var exported = StoreDir("exported");
        await SeedAsync(exported);
        var traces = Path.Combine(_root, "traces");
        var workflow = Path.Combine(_root, "workflow.cwl");
        var (code, _, err) = await Cli("export", "cwl", nameof(CwlReport), "--scope", _scope, "--title", "a: 'b' c", "--trace-dir", traces,
            "--store", exported, "--no-container", "--max-jobs-per-step", "2", "-o", workflow);
        code.Should().Be(0, err);

        var detect = CwlRunners.DetectOnPath(Path.Combine(_root, "bin"), typeof(CwlReport).Assembly.Location);
        var run = await CwlRunners.RunAsync(runner, workflow, Path.Combine(_root, "run1"), detect, RunnerTimeout);
        run.ExitCode.Should().Be(0, run.Output);

        CwlRunners.Hashes(exported).Should().Equal(CwlRunners.Hashes(plain), "the steps leave the store as one plain `detect run` does");
        var ran = CwlTrace.Count(traces);
        ran.Values.Should().OnlyContain(n => n == 1, "each task ran once: " + string.Join(", ", ran));
        ran.Keys.Select(id => id.Split('_')[0]).Order().Should().Equal(
            [.. Enumerable.Repeat(nameof(CwlFollowUp), 2), .. Enumerable.Repeat(nameof(CwlGroup), 3), .. Enumerable.Repeat(nameof(CwlItem), 6), nameof(CwlReport)],
            "the planned items, the groups, the report and its two data-dependent follow-ups (groups 0 and 2 have odd sums)");

        var again = Path.Combine(_root, "again.cwl");
        var (againCode, _, againErr) = await Cli("export", "cwl", nameof(CwlReport), "--scope", _scope, "--title", "a: 'b' c", "--trace-dir", traces,
            "--store", exported, "--no-container", "-o", again);
        againCode.Should().Be(0, againErr);
        againErr.Should().Contain("0 task(s) in 0 step(s)");
        var second = await CwlRunners.RunAsync(runner, again, Path.Combine(_root, "run2"), detect, RunnerTimeout);
        second.ExitCode.Should().Be(0, second.Output);
        CwlTrace.Count(traces).Should().Equal(ran, "nothing ran the second time");
        CwlRunners.Hashes(exported).Should().Equal(CwlRunners.Hashes(plain));
    }

    [Fact]
    public async Task A_graph_of_10000_tasks_exports_to_three_steps_of_at_most_100_jobs_that_cwltool_loads()
    {
        var store = StoreDir("big");
        await SeedAsync(store);
        var workflow = Path.Combine(_root, "big.cwl");
        var (code, _, err) = await Cli("export", "cwl", nameof(CwlReport), "--scope", _scope, "--groups", "100", "--items", "99",
            "--store", store, "--no-container", "-o", workflow);
        code.Should().Be(0, err);
        err.Should().Contain("10001 task(s) in 3 step(s)");

        var cwl = new CwlDocumentView(await File.ReadAllTextAsync(workflow));
        cwl.StepIds.Should().Equal(nameof(CwlItem), nameof(CwlGroup), nameof(CwlReport));
        cwl.Jobs(nameof(CwlItem)).Should().HaveCount(100);
        cwl.Commands(nameof(CwlItem)).Should().HaveCount(9_900);
        cwl.Parameters(nameof(CwlItem)).Select(p => string.Join(' ', p)).Should().OnlyHaveUniqueItems();
        cwl.Jobs(nameof(CwlGroup)).Should().HaveCount(100, "100 groups: one each");

        var validation = await CwlRunners.ValidateAsync(workflow, RunnerTimeout);
        validation.ExitCode.Should().Be(0, validation.Output);
    }
}
