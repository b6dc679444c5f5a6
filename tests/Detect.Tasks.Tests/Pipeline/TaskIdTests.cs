using System.Security.Cryptography;
using System.Text;
using Detect.Engine;
using Detect.Tasks.Geo.GeoJson;
using Detect.Tasks.Models;
using Detect.Tasks.Pipeline;
using DetectTask = Detect.Tasks.Pipeline.Detect;

namespace Detect.Tasks.Tests.Pipeline;

/// <summary>
/// Task ids of the Detect graph: short enough for logs, summaries and file names (leases, task logs), and the
/// run id unchanged (the first 20 hex of sha256 of Detect's id as first defined, <c>LegacyTaskId</c>).
/// </summary>
[Collection(DemoRunCollection.Name)]
public sealed class TaskIdTests(DemoRunFixture run)
{
    [Fact]
    public void Every_task_of_the_demo_graph_has_an_id_under_80_characters_showing_its_tile()
    {
        run.FirstRun.RootComplete.Should().BeTrue(run.FirstRun.Render());
        // The run's tasks, and the per-site ones for the sites it found (made as GenerateContourForSites makes them).
        var sites = GeoJsonReader.ReadFeaturesFile(run.PathOf(run.RunFolder + "output/sites_with_metadata.geojson"));
        sites.Should().NotBeEmpty();
        var perSite = sites.Select(f => run.Detect.Final.Clone(() => new GenerateContoursForSite
        {
            Site = f.GetString("name")!, SiteId = f.GetString("id")!, Lon = f.Geometry.Coordinate.X, Lat = f.Geometry.Coordinate.Y,
        })).ToList();
        var ids = run.FirstRun.Reports.Select(r => r.TaskId)
            .Concat(perSite.SelectMany(s => new WorkflowTask[] { s }.Concat(s.Requires()).Concat(s.Requires().SelectMany(r => r.Requires()))).Select(t => t.TaskId))
            .Distinct().ToList();
        ids.Should().HaveCountGreaterThan(12);
        ids.Should().Contain(id => id.StartsWith("SiteScenes_")).And.Contain(id => id.StartsWith("EnsembleFiles_v0.0.11_ensemble-8-25-21_"));
        var longest = ids.MaxBy(id => id.Length)!;
        longest.Length.Should().BeLessThan(80, longest);
        ids.Should().AllSatisfy(id => id.Should().MatchRegex("^[A-Za-z0-9_.-]+$", "ids are file names (leases, task logs)"));

        var tile = run.FirstRun.Reports.Single(r => r.Family == nameof(Heatmap)).TaskId;
        var tileId = File.ReadAllText(run.PathOf(run.RunFolder + "heatmaps/tiles.json")).Split('"')[3];
        tile.Should().StartWith($"Heatmap_{tileId}_", "the tile is what tells the heatmaps of a run apart");
    }

    [Fact]
    public void The_run_id_is_still_derived_from_the_id_as_first_defined()
    {
        var detect = new DetectTask();
        detect.ResolvedRunId.Should().Be(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(detect.LegacyTaskId)))[..20]);
        detect.LegacyTaskId.Should().StartWith("Detect_sentinel-2-l2a_auto_sentinel-2-l1c_2021-06-01_").And.EndWith("_169e193600",
            "the README's demo output shows this id; run ids made before issue 14 must stay");
        detect.TaskId.Should().Be("Detect_test_patch_169e193600", "the ROI, which Detect names, and nothing else at its default");
        new DetectTask { Roi = "bali", Model = "m2" }.TaskId.Should().MatchRegex("^Detect_bali_m2_[0-9a-f]{10}$");
    }

    [Fact]
    public void Per_tile_and_model_tasks_show_what_tells_them_apart_even_at_defaults()
    {
        new ModelFile().TaskId.Should().StartWith("ModelFile_spectrogram_v0.0.11_2021_");
        new RoiFile().TaskId.Should().StartWith("RoiFile_test_patch_");
        new Heatmap { RunId = "f73f2f8015c006568a20", Tile = "32750_x0012_y0034", Roi = "a_very_long_region_name_indeed" }.TaskId
            .Should().MatchRegex("^Heatmap_32750_x0012_y0034_a_very_long_regi_f73f2f8015c00656_[0-9a-f]{10}$");
    }
}
