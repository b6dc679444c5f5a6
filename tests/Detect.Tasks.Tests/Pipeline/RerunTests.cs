using Detect.Engine.Scheduling;

namespace Detect.Tasks.Tests.Pipeline;

/// <summary>Deleting outputs of a finished run reruns exactly the affected tasks (runs after the end-to-end checks).</summary>
[Collection(DemoRunCollection.Name)]
public sealed class RerunTests(DemoRunFixture run)
{
    [Fact]
    public async Task Deleting_outputs_reruns_exactly_their_tasks_and_what_depends_on_them()
    {
        // 1. sites.geojson: ComparePatchClassifier and everything after it, nothing before.
        File.Delete(run.PathOf(run.RunFolder + "output/sites.geojson"));
        var afterSites = await run.RunAsync();
        afterSites.RootComplete.Should().BeTrue(afterSites.Render());
        afterSites.With(TaskOutcome.Ran).Select(r => r.Family).Should().BeEquivalentTo(
            ["ComparePatchClassifier", "Geocode", "GenerateContourForSites", "Detect"]);

        // 2. one tile's heatmap: that tile, its blobs and everything downstream; not the patch classifier.
        var heatmap = Directory.GetFiles(run.PathOf(run.RunFolder + "heatmaps"), "*_median.tif").Single();
        File.Delete(heatmap);
        var afterTile = await run.RunAsync();
        afterTile.RootComplete.Should().BeTrue(afterTile.Render());
        var families = afterTile.With(TaskOutcome.Ran).Select(r => r.Family).ToList();
        families.Should().Contain(["Heatmap", "Heatmaps", "BlobDetect", "DetectBlobsTiled", "ComparePatchClassifier"]);
        families.Should().NotContain(["PatchTile", "PatchClassifier", "SitePatch"]);
        File.Exists(heatmap).Should().BeTrue();

        // 3. nothing deleted: nothing runs.
        var again = await run.RunAsync();
        again.With(TaskOutcome.Ran).Should().BeEmpty();
    }
}
