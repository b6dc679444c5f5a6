using System.ComponentModel;
using Detect.Engine;
using Detect.Engine.Parameters;
using Detect.Tasks.Geo.GeoJson;
using NetTopologySuite.Features;
using Detect.Tasks.Inference;

namespace Detect.Tasks.Pipeline;

[Description("contours of every confirmed site → runs/<run_id>/output/contours.geojson")]
public sealed class GenerateContourForSites : RunTask
{
    [Parameter(Help = "pixel model name")] public string Model { get; init; } = "";
    [Parameter(Help = "patch classifier name")] public string PatchModel { get; init; } = "";
    [Parameter(Help = "ensemble model name")] public string EnsembleModel { get; init; } = "";
    [Parameter(Help = "mosaic periods between pair members")] public int SpectrogramInterval { get; init; }
    [Parameter(Help = "box width around each site, degrees")] public double RectWidth { get; init; }
    [Parameter(Significant = false, Help = "auto, cpu or cuda")] public InferenceDevice Device { get; init; }

    public Geocode Sites => Clone<Geocode>();

    public StoreTarget AllContours => new($"{RunFolder}output/contours.geojson");

    public override IEnumerable<WorkflowTask> Requires() => [Sites];
    public override IEnumerable<Target> Output() => [AllContours];

    public override async Task RunAsync(TaskContext context)
    {
        var features = GeoJsonReader.ReadFeatures(await context.ReadTextAsync(Sites.SitesWithMetadata), context.Targets.UriOf(Sites.SitesWithMetadata));
        var perSite = features.Select(f => Clone(() => new GenerateContoursForSite
        {
            Site = f.GetString("name")!, SiteId = f.GetString("id")!,
            Lon = f.Geometry.Coordinate.X, Lat = f.Geometry.Coordinate.Y,
        })).ToList();
        await context.RequireAsync(perSite);
        var all = new List<IFeature>();
        foreach (var site in perSite) all.AddRange(GeoJsonReader.ReadFeatures(await context.ReadTextAsync(site.Contours), context.Targets.UriOf(site.Contours)));
        await context.WriteTextAsync(AllContours, GeoJsonWriter.ToJson(all));
    }
}
