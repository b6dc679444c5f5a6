using System.ComponentModel;
using Detect.Engine;
using Detect.Engine.Parameters;
using Detect.Tasks.Geo.GeoJson;
using NetTopologySuite.Features;
using Detect.Tasks.Inference;
using Detect.Tasks.Models;
using Detect.Tasks.Native.Gdal;

namespace Detect.Tasks.Pipeline;

[Description("contours of one site, one feature per date → runs/<run_id>/output/<site>.geojson")]
[TaskIdParameters(nameof(Site))]
public sealed class GenerateContoursForSite : ImageryTask, IRunsInference
{
    [Parameter(Help = "run id")] public string RunId { get; init; } = "";
    [Parameter(Help = "site name, e.g. site_3")] public string Site { get; init; } = "";
    [Parameter(Help = "site id (H3 res-7 cell)")] public string SiteId { get; init; } = "";
    [Parameter(Help = "site longitude")] public double Lon { get; init; }
    [Parameter(Help = "site latitude")] public double Lat { get; init; }
    [Parameter(Help = "first day of imagery")] public DateOnly StartDate { get; init; }
    [Parameter(Help = "last day of imagery (exclusive)")] public DateOnly EndDate { get; init; }
    [Parameter(Help = "box width in degrees")] public double RectWidth { get; init; }
    [Parameter(Help = "ensemble model name")] public string EnsembleModel { get; init; } = "";
    [Parameter(Help = "months between the two mosaics of a pair")] public int SpectrogramInterval { get; init; }
    [Parameter(Help = "frames in the rolling-median mask")] public int WindowSize { get; init; } = 8;
    [Parameter(Significant = false, Help = "auto, cpu or cuda")] public InferenceDevice Device { get; init; }

    private SitePatch Patch => Clone<SitePatch>();
    private EnsembleFiles Members => Clone<EnsembleFiles>();

    public StoreTarget Contours => new($"runs/{RunId}/output/{Site}.geojson");

    public override IEnumerable<WorkflowTask> Requires() => [Patch, Members];
    public override IEnumerable<Target> Output() => [Contours];
    public override IReadOnlyDictionary<string, int> Resources => InferenceResources.For(Device);

    public override async Task RunAsync(TaskContext context)
    {
        using var stack = GdalDataset.Open(await RasterPaths.ForGdalAsync(context, Patch.Stack));
        var epsg = stack.SpatialReference().Epsg ?? throw new InvalidDataException($"{Patch.Stack.Key} has no EPSG code.");
        var ensemble = Members.OpenEnsemble(context.Targets, InferenceSettings.Default with { Device = Device }, context.Logger);
        var frames = SiteContours.Compute(stack, ensemble, SpectrogramInterval, WindowSize);
        var features = frames.Where(f => f.Polygons.Count > 0).Select(f =>
        {
            var union = NetTopologySuite.Operation.Union.CascadedPolygonUnion.Union(f.Polygons.Select(p => (NetTopologySuite.Geometries.Geometry)SiteContours.ToWgs84(p.Geometry, epsg)).ToList());
            return (IFeature)new Feature(union, new AttributesTable
            {
                { "date", f.Date.ToString("yyyy-MM-dd") },
                { "area (km^2)", Math.Round(f.Polygons.Sum(p => p.AreaKm2), 6) },
                { "name", Site },
                { "site_id", SiteId },
            });
        });
        await context.WriteTextAsync(Contours, GeoJsonWriter.ToJson(features));
    }
}
