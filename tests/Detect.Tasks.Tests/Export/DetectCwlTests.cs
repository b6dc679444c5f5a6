using Detect.Cli;
using Detect.TestSupport;
using Detect.Tasks.Tests.Pipeline;

namespace Detect.Tasks.Tests.Export;

/// <summary>
/// Detect on the demo's test_patch inputs, exported to CWL and run by cwltool and by Toil, each step a real
/// `detect run --no-deps` process: every output (heatmap COG, blobs, candidates, sites, contours, site stacks,
/// dependency records) equals, byte for byte, what the plain run of <see cref="DemoRunFixture"/> wrote. The one
/// file that names its store (the heatmap index) is compared with the store URI taken out.
/// </summary>
[Collection(DemoRunCollection.Name)]
public sealed class DetectCwlTests(DemoRunFixture demo) : IDisposable
{
    private static readonly TimeSpan RunnerTimeout = TimeSpan.FromMinutes(8);
    private readonly string _root = Directory.CreateTempSubdirectory("detect-cwl-e2e-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string[] Graph(string store) =>
        // No --cache-dir: in process it would move the model cache of every test beside this one (DETECT_CACHE_DIR).
        ["export", "cwl", "Detect", "--roi", "test_patch", "--device", "cpu", "--store", store, "--no-container"];

    private static async Task<(int Code, string Out, string Err)> Detect(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await DetectApp.Create(stdout, stderr).RunAsync(args);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>A new store with the demo store's inputs (ROI, models, imagery) and none of its outputs.</summary>
    private string CopyInputs()
    {
        var store = Path.Combine(_root, "store");
        var source = demo.Store.Root;
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.Split(Path.DirectorySeparatorChar)[0] is "runs" or "patches" or ".detect") continue;
            var copy = Path.Combine(store, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
        return store;
    }

    [Theory]
    [InlineData(CwlRunnerKind.Cwltool)]
    [InlineData(CwlRunnerKind.Toil)]
    public async Task Detect_run_through_the_exported_workflow_writes_what_a_plain_run_writes(CwlRunnerKind runner)
    {
        demo.FirstRun.RootComplete.Should().BeTrue(demo.FirstRun.Render());
        var store = CopyInputs();
        var workflow = Path.Combine(_root, "detect.cwl");
        var (code, _, err) = await Detect([.. Graph(store), "-o", workflow]);
        code.Should().Be(0, err);
        var text = await File.ReadAllTextAsync(workflow);
        text.Should().NotContain("CUDARequirement", "--device cpu reaches every inference task");
        text.Should().Contain("Heatmap:").And.Contain("GenerateContourForSites:");

        var detect = CwlRunners.DetectOnPath(Path.Combine(_root, "bin"), typeof(DetectApp).Assembly.Location);
        var run = await CwlRunners.RunAsync(runner, workflow, Path.Combine(_root, "run"), detect, RunnerTimeout);
        run.ExitCode.Should().Be(0, run.Output);

        var expected = Comparable(demo.Store.Root);
        expected.Keys.Should().Contain(k => k.EndsWith("output/contours.geojson")).And.Contain(k => k.StartsWith("patches/"));
        Comparable(store).Should().Equal(expected);

        var (againCode, _, againErr) = await Detect([.. Graph(store), "-o", Path.Combine(_root, "again.cwl")]);
        againCode.Should().Be(0, againErr);
        againErr.Should().Contain("0 task(s) in 0 step(s)", "a second export finds the graph complete");
    }

    private static readonly System.Text.RegularExpressions.Regex SearchedAt = new("\"searched_at\": \"[^\"]*\"");

    /// <summary>
    /// Content hashes of every file of a store; JSON artifacts (the heatmap index, scene records) by their text with
    /// the store's own URI and the search time of scene records removed (they name the store they were written in
    /// and when their catalog was searched).
    /// </summary>
    private static SortedDictionary<string, string> Comparable(string storeRoot)
    {
        var hashes = CwlRunners.Hashes(storeRoot);
        foreach (var key in hashes.Keys.Where(k => k.EndsWith(".json", StringComparison.Ordinal)).ToList())
            hashes[key] = SearchedAt.Replace(
                File.ReadAllText(Path.Combine(storeRoot, key)).Replace("file://" + Path.GetFullPath(storeRoot), "<store>"), "\"searched_at\": \"<time>\"");
        return hashes;
    }
}
