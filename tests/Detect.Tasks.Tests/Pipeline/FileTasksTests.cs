using System.Text.Json;
using Detect.Engine.Scheduling;
using Detect.Tasks.Geo.GeoJson;
using Detect.Tasks.Pipeline;

namespace Detect.Tasks.Tests.Pipeline;

/// <summary>The subtasks users run on one file: `detect run BlobDetect --file ...` and `detect run Contours --file ...`.</summary>
[Collection(DemoRunCollection.Name)]
public sealed class FileTasksTests(DemoRunFixture run)
{
    private string CopyOfHeatmap()
    {
        var heatmap = Directory.GetFiles(run.PathOf(run.RunFolder + "heatmaps"), "*_median.tif").Single();
        var copy = Path.Combine(Directory.CreateTempSubdirectory("detect-file-task-").FullName, Path.GetFileName(heatmap));
        File.Copy(heatmap, copy);
        return copy;
    }

    [Fact]
    public async Task BlobDetect_on_a_file_writes_the_same_points_as_inside_the_run()
    {
        var copy = CopyOfHeatmap();
        var inRun = Directory.GetFiles(run.PathOf(run.RunFolder + "heatmaps"), "*_median.tif.json").Single();

        var summary = await new Scheduler(DemoRunFixture.Registry, run.Resolver).RunAsync(new BlobDetect { File = copy });

        summary.RootComplete.Should().BeTrue(summary.Render());
        var points = JsonSerializer.Deserialize<double[][]>(await File.ReadAllTextAsync(copy + ".json"))!;
        points.Should().BeEquivalentTo(JsonSerializer.Deserialize<double[][]>(await File.ReadAllTextAsync(inRun)));
        points.Should().HaveCountGreaterThanOrEqualTo(run.Truth.Sites.Count());
    }

    [Fact]
    public async Task Contours_on_a_file_draws_a_polygon_around_every_planted_site()
    {
        var copy = CopyOfHeatmap();

        var summary = await new Scheduler(DemoRunFixture.Registry, run.Resolver).RunAsync(new Contours { File = copy });

        summary.RootComplete.Should().BeTrue(summary.Render());
        var polygons = GeoJsonReader.ReadFeaturesFile(copy + ".contours.geojson");
        var factory = new NetTopologySuite.Geometries.GeometryFactory(new NetTopologySuite.Geometries.PrecisionModel(), 4326);
        foreach (var site in run.Truth.Sites)
            polygons.Should().Contain(p => p.Geometry.Contains(factory.CreatePoint(new NetTopologySuite.Geometries.Coordinate(site.Lon, site.Lat))), site.Name);
        polygons.Should().OnlyContain(p => p.Geometry.IsValid && p.GetDouble("area (km^2)") > 0);
    }

    [Fact]
    public async Task BlobDetect_without_file_or_tile_is_a_usage_error_naming_both_parameters()
    {
        var stderr = new StringWriter();
        var code = await Detect.Cli.DetectApp.Create(new StringWriter(), stderr).RunAsync(["run", "BlobDetect", "--store", run.Store.Root]);

        code.Should().Be(2);
        stderr.ToString().Should().Contain("--file").And.Contain("--tile");
    }
}
