using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Detect.Engine;
using Detect.Engine.Parameters;
using Detect.Tasks.Geo.GeoJson;
using Detect.Tasks.Imagery;
using Detect.Tasks.Inference;
using Detect.Tasks.Models;

namespace Detect.Tasks.Pipeline;

/// <summary>
/// The whole workflow for a region, with the original pipeline's parameters and defaults. Its run id (unless
/// given) is the first 20 hex characters of the sha256 of its task id, and roots every artifact of the run.
/// </summary>
[Description("the whole workflow: heatmaps, candidates, patch check, geocoding and contours for a region")]
[TaskIdParameters(nameof(Roi))]
public sealed class Detect : WrapperTask, IDescribesResults, IValidatesParameters
{
    [Parameter(Help = "run id (default: derived from the other parameters)"), StoreKeyName(AllowEmpty = true)] public string RunId { get; init; } = "";
    [Parameter(Help = "first day of imagery")] public DateOnly StartDate { get; init; } = new(2019, 1, 1);
    [Parameter(Help = "last day of imagery (exclusive)")] public DateOnly EndDate { get; init; } = new(2021, 6, 1);
    [Parameter(Help = "pixel model"), KnownModel(ModelKind.Pixel)] public string Model { get; init; } = "spectrogram_v0.0.11_2021-07-13";
    [Parameter(Help = "region of interest: boundaries/<roi>.geojson"), StoreKeyName] public string Roi { get; init; } = "test_patch";
    [Parameter(Help = "patch classifier"), KnownModel(ModelKind.Patch)] public string PatchModel { get; init; } = "v1.1.0_4-23-21_patch_classifier_45px_patch";
    [Parameter(Help = "ensemble for contours"), KnownModel(Ensemble = true)] public string EnsembleModel { get; init; } = "v0.0.11_ensemble-8-25-21";
    [Parameter(Help = "box width around each site, degrees"), Range(0.0, 1.0, MinimumIsExclusive = true)] public double RectWidth { get; init; } = 0.008;
    [Parameter(Help = "months per mosaic"), Range(1, 120)] public int MosaicPeriod { get; init; } = 3;
    [Parameter(Help = "mosaic periods between pair members"), Range(1, 100)] public int SpectrogramInterval { get; init; } = 2;
    [Parameter(Significant = false, Help = "auto, cpu or cuda")] public InferenceDevice Device { get; init; } = InferenceDevice.Auto;

    // The imagery parameters of ImageryTask (a wrapper cannot derive from it): where scenes come from is part of the run id.
    [Parameter(Help = "scenes from: store (imagery/items/ in the store), earth-search, or a STAC API root URL (http(s)://…)")]
    public string Imagery { get; init; } = ImagerySource.Store;
    [Parameter(Help = "STAC collection of the L1C scenes (STAC APIs)")]
    public string Collection { get; init; } = ImageryOptions.DefaultCollection;
    [Parameter(Help = "STAC collection of the L2A siblings whose SCL masks clouds (--cloud-mask scl)")]
    public string CloudCollection { get; init; } = ImageryOptions.DefaultCloudCollection;
    [Parameter(Help = "leave out scenes whose eo:cloud_cover is above this percentage (STAC APIs)"), Range(0.0, 100.0)]
    public double MaxCloudCover { get; init; } = ImageryOptions.DefaultMaxCloudCover;
    [Parameter(Help = "clouds from: auto (scl for STAC APIs, the cloud asset for the store), scl, asset or none")]
    public CloudMaskMode CloudMask { get; init; } = CloudMaskMode.Auto;
    [Parameter(Significant = false, Help = "S3 endpoint for s3:// imagery hrefs: default the store's AWS_ENDPOINT_URL_S3 (env DETECT_IMAGERY_S3_ENDPOINT), 'aws' for AWS S3")]
    public string ImageryS3Endpoint { get; init; } = "";

    public string ResolvedRunId => RunId.Length > 0 ? RunId
        : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(LegacyTaskId)))[..20]; // the id as first defined: run ids stay

    public GenerateContourForSites Final => Clone(() => new GenerateContourForSites { RunId = ResolvedRunId });

    public override IEnumerable<WorkflowTask> Requires()
    {
        ValidateParameters(); // also when built in code, not only from the command line
        return [new RunManifest { RunId = ResolvedRunId, Parameters = JsonSerializer.Serialize(SignificantParameters().ToDictionary(p => p.Key, p => p.Value)) }, Final];
    }

    /// <summary>Dates that hold at least one pair of mosaics, and imagery parameters that name a source (a usage error otherwise).</summary>
    public void ValidateParameters()
    {
        RunDates.Validate(Family, StartDate, EndDate, MosaicPeriod, SpectrogramInterval);
        _ = Final.ImageryOptions;
    }

    public async Task<string> DescribeResultsAsync(TargetResolver targets, CancellationToken ct)
    {
        var run = $"runs/{ResolvedRunId}/";
        async Task<int> Count(StoreTarget t) => GeoJsonReader.ReadFeatures(await targets.ReadTextAsync(t, ct), targets.UriOf(t)).Count;
        var tiles = JsonDocument.Parse(await targets.ReadTextAsync(new StoreTarget(run + "heatmaps/tiles.json"), ct)).RootElement.GetArrayLength();
        var sb = new StringBuilder();
        sb.AppendLine($"Run {ResolvedRunId} ({targets.UriOf(new StoreTarget(run + ResolvedRunId + ".json"))}):");
        sb.AppendLine($"  heatmap tiles  {tiles,4}  {targets.UriOf(new StoreTarget(run + "heatmaps/tiles.json"))}");
        sb.AppendLine($"  candidates     {await Count(new StoreTarget(run + "candidates/candidates.geojson")),4}  {targets.UriOf(new StoreTarget(run + "candidates/candidates.geojson"))}");
        sb.AppendLine($"  sites          {await Count(new StoreTarget(run + "output/sites.geojson")),4}  {targets.UriOf(new StoreTarget(run + "output/sites_with_metadata.geojson"))}");
        sb.AppendLine($"  contours       {await Count(new StoreTarget(run + "output/contours.geojson")),4}  {targets.UriOf(new StoreTarget(run + "output/contours.geojson"))}");
        sb.Append(await DescribeScenesAsync(targets, run + "scenes/", ct));
        return sb.ToString();
    }

    /// <summary>The scenes line: how many the tiles' records hold, and how many were skipped (e.g. without an L2A sibling).</summary>
    private static async Task<string> DescribeScenesAsync(TargetResolver targets, string folder, CancellationToken ct)
    {
        var keys = (await targets.DefaultStore.ListAsync(folder, ct)).Where(k => k.EndsWith(".json", StringComparison.Ordinal)).ToList();
        var skipped = 0;
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var record = SceneRecordJson.Read(await targets.ReadTextAsync(new StoreTarget(key), ct), targets.UriOf(new StoreTarget(key)));
            foreach (var s in record.Scenes) ids.Add(s.Id);
            skipped += record.Skipped.Count;
        }
        var skippedText = skipped == 0 ? "none skipped" : $"{skipped} skipped (see the records)";
        return $"  scenes         {ids.Count,4}  {targets.UriOf(new StoreTarget(folder))} ({keys.Count} tile record(s), {skippedText})";
    }
}

[Description("the resolved parameters of a run → runs/<run_id>/<run_id>.json")]
[TaskIdParameters(nameof(RunId))]
public sealed class RunManifest : WorkflowTask
{
    [Parameter(Help = "run id")] public string RunId { get; init; } = "";
    [Parameter(Help = "the parameters as a JSON object")] public string Parameters { get; init; } = "{}";

    public override IEnumerable<Target> Output() => [new StoreTarget($"runs/{RunId}/{RunId}.json")];

    public override Task RunAsync(TaskContext context)
    {
        var parameters = JsonSerializer.Deserialize<Dictionary<string, string>>(Parameters) ?? [];
        parameters["run_id"] = RunId;
        return context.WriteTextAsync(Output().Single(), JsonSerializer.Serialize(parameters, new JsonSerializerOptions { WriteIndented = true }));
    }
}
