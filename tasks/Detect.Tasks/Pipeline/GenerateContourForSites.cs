using System.ComponentModel;
using Detect.Engine;
using Detect.Engine.Parameters;
using Detect.Tasks.Analysis.GeoJson;
using Detect.Tasks.Inference;

namespace Detect.Tasks.Pipeline;

[Description("contours of every confirmed site → runs/<run_id>/output/contours.geojson")]
public sealed class GenerateContourForSites : RunTask
{
    [Parameter(Help = "pixel model name")] public string Model { get; init; } = "spectrogram_v0.0.11_2021-07-13";
    [Parameter(Help = "patch classifier name")] public string PatchModel { get; init; } = "v1.1.0_4-23-21_patch_classifier_45px_patch";
    [Parameter(Help = "ensemble model name")] public string EnsembleModel { get; init; } = "v0.0.11_ensemble-8-25-21";
    [Parameter(Help = "mosaic periods between pair members")] public int SpectrogramInterval { get; init; } = 2;
    [Parameter(Help = "box width around each site, degrees")] public double RectWidth { get; init; } = 0.008;
    [Parameter(Significant = false, Help = "auto, cpu or cuda")] public InferenceDevice Device { get; init; } = InferenceDevice.Auto;

    public Geocode Sites => Shared(new Geocode
    {
        Model = Model, PatchModel = PatchModel, SpectrogramInterval = SpectrogramInterval, Device = Device,
    });

    public StoreTarget AllContours => new($"{RunFolder}output/contours.geojson");

    public override IEnumerable<WorkflowTask> Requires() => [Sites];
    public override IEnumerable<Target> Output() => [AllContours];

    public override async Task RunAsync(TaskContext context)
    {
        var features = GeoJsonReader.Read(await context.ReadTextAsync(Sites.SitesWithMetadata));
        var perSite = features.Select(f => WithImagery(new GenerateContoursForSite
        {
            RunId = RunId, Site = (string)f.Properties["name"]!, SiteId = (string)f.Properties["id"]!,
            Lon = f.Geometry.Coordinate.X, Lat = f.Geometry.Coordinate.Y,
            StartDate = StartDate, EndDate = EndDate, RectWidth = RectWidth, EnsembleModel = EnsembleModel,
            SpectrogramInterval = SpectrogramInterval, Device = Device,
        })).ToList();
        await context.RequireAsync(perSite);
        var all = new List<GeoJsonFeature>();
        foreach (var site in perSite) all.AddRange(GeoJsonReader.Read(await context.ReadTextAsync(site.Contours)));
        await context.WriteTextAsync(AllContours, GeoJsonWriter.ToJson(all));
    }
}
