using System.ComponentModel;
using System.Text.Json;
using Detect.Engine;
using Detect.Engine.Parameters;
using Detect.Tasks.Geo.GeoJson;
using Detect.Tasks.Analysis.Sites;
using Detect.Tasks.Inference;

namespace Detect.Tasks.Pipeline;

/// <summary>
/// Blob detection on every heatmap tile (one <see cref="BlobDetect"/> each), then all points merged by the
/// original iterative radius clustering into candidate sites site_1 … site_n.
/// </summary>
[Description("candidate sites from all tiles' blobs → runs/<run_id>/candidates/candidates.geojson")]
public sealed class DetectBlobsTiled : RunTask, IPlansDynamicRequirements
{
    [Parameter(Help = "pixel model name")] public string Model { get; init; } = "";
    [Parameter(Help = "mosaic periods between pair members")] public int SpectrogramInterval { get; init; }
    [Parameter(Help = "heatmap values below it are ignored")] public double PredThreshold { get; init; } = 0.75;
    [Parameter(Help = "points closer than this (degrees) merge into one site")] public double MergeRadius { get; init; } = SiteMerger.DefaultMergeRadius;
    [Parameter(Significant = false, Help = "auto, cpu or cuda")] public InferenceDevice Device { get; init; }

    private Heatmaps AllHeatmaps => Clone<Heatmaps>();

    public StoreTarget Candidates => new($"{RunFolder}candidates/candidates.geojson");

    public override IEnumerable<WorkflowTask> Requires() => [AllHeatmaps];
    public override IEnumerable<Target> Output() => [Candidates];

    private BlobDetect BlobTask(string tile) => Clone(() => new BlobDetect { Tile = tile });

    /// <summary>One blob task per tile of the ROI (<see cref="RoiTiles"/>: the list Heatmaps covers too).</summary>
    public async Task<IReadOnlyList<WorkflowTask>?> PlanDynamicRequirementsAsync(TargetResolver targets, CancellationToken ct) =>
        (await RoiTiles.CoverAsync(targets, Roi, ct)).Select(t => (WorkflowTask)BlobTask(t.Id)).ToList();

    public override async Task RunAsync(TaskContext context)
    {
        var tiles = await RoiTiles.CoverAsync(context.Targets, Roi, context.CancellationToken);
        var blobTasks = tiles.Select(t => BlobTask(t.Id)).ToList();
        await context.RequireAsync(blobTasks);

        var points = new List<(double Lon, double Lat)>();
        foreach (var task in blobTasks)
        {
            using var json = JsonDocument.Parse(await context.ReadTextAsync(task.Output().Single()));
            points.AddRange(json.RootElement.EnumerateArray().Select(p => (p[0].GetDouble(), p[1].GetDouble())));
        }
        var sites = SiteMerger.Merge(points, MergeRadius);
        await context.WriteTextAsync(Candidates, GeoJsonWriter.ToJson(sites.Select(s => SiteFeatures.ToFeature(s)), indented: true));
    }
}
