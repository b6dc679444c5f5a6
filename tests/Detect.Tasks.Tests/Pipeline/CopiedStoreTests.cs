using Detect.Cli;
using Detect.Engine;
using Detect.Engine.Scheduling;
using Detect.Engine.Storage;

namespace Detect.Tasks.Tests.Pipeline;

/// <summary>
/// A finished store copied to another directory (as a sync or backup would) is a whole store on its own: artifacts
/// name other artifacts by store key, never by the original's URI, so status there is complete and a rerun there reads
/// the copy's own files.
/// </summary>
[Collection(DemoRunCollection.Name)]
public sealed class CopiedStoreTests(DemoRunFixture run)
{
    [Fact]
    public async Task A_copied_store_is_complete_and_reruns_a_deleted_output_from_its_own_files()
    {
        var original = run.Store.Root;
        var copy = Path.Combine(run.Root, "copied-store");
        CopyDirectory(original, copy);

        foreach (var file in Directory.EnumerateFiles(copy, "*", SearchOption.AllDirectories)
                     .Where(f => f.EndsWith(".json", StringComparison.Ordinal) || f.EndsWith(".geojson", StringComparison.Ordinal))
                     .Where(f => !Path.GetRelativePath(copy, f).StartsWith(".detect", StringComparison.Ordinal)))
            (await File.ReadAllTextAsync(file)).Should().NotContain(original, $"{Path.GetRelativePath(copy, file)} must name store keys, not the original store");

        var (code, stdout, stderr) = await Cli("status", "Detect", "--roi", "test_patch", "--store", copy, "--cache-dir", Path.Combine(run.Root, "cache"));
        code.Should().Be(0, stdout + stderr);
        stdout.Should().Contain($"{run.Detect.TaskId} is complete.");

        // The original out of reach: anything still pointing at it fails the rerun.
        var away = original + "-away";
        Directory.Move(original, away);
        try
        {
            var heatmap = Directory.GetFiles(Path.Combine(copy, run.RunFolder, "heatmaps"), "*_median.tif").First();
            File.Delete(heatmap);
            using var resolver = new TargetResolver(new LocalObjectStore(copy), Path.Combine(run.Root, "cache"));
            var summary = await new Scheduler(DemoRunFixture.Registry, resolver, new SchedulerOptions { Workers = 2 }).RunAsync(run.Detect);

            summary.RootComplete.Should().BeTrue(summary.Render());
            summary.With(TaskOutcome.Ran).Select(r => r.Family).Should().Contain(["Heatmap", "Heatmaps"]).And.NotContain("TileScenes");
            File.Exists(heatmap).Should().BeTrue();
        }
        finally { Directory.Move(away, original); }
    }

    private static async Task<(int Code, string Stdout, string Stderr)> Cli(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await DetectApp.Create(stdout, stderr).RunAsync(args);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
