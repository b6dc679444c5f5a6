using Detect.Tasks.Tiling;
using System.ComponentModel;
using Detect.Engine;
using Detect.Engine.Parameters;
using Detect.Tasks.Geo.GeoJson;
using NetTopologySuite.Features;
using Detect.Tasks.Inference;
using Detect.Tasks.Models;
using Detect.Tasks.Mosaics;

namespace Detect.Tasks.Pipeline;

[Description("patch-classifier windows of one tile (over its Mosaic COGs) with their mean score → runs/<run_id>/patches/<tile>_patch.geojson")]
[TaskIdParameters(nameof(Tile))]
public sealed class PatchTile : RunTask, IRunsInference
{
    [Parameter(Help = "tile id"), TileId] public string Tile { get; init; } = "";
    [Parameter(Help = "patch classifier name (models-manifest)")] public string PatchModel { get; init; } = "";
    [Parameter(Significant = false, Help = "auto, cpu or cuda")] public InferenceDevice Device { get; init; }

    /// <summary>Not part of the task's identity: which Mosaic task builds the tile's mosaics, not what they are.</summary>
    [Parameter(Significant = false, Help = "tiles whose mosaics are built in one pass with this tile's, comma-separated, leader first (PatchClassifier sets it; empty: this tile alone)"), TileIdList]
    public string MosaicGroup { get; init; } = "";

    public StoreTarget Polygons => new($"{RunFolder}patches/{Tile}_patch.geojson");

    /// <summary>The tile's min mosaics, the same files the heatmap reads.</summary>
    public MosaicTask Mosaics
    {
        get
        {
            var (lead, with) = MosaicTask.Lead(Tile, MosaicGroup);
            return Clone(() => new MosaicTask { Tile = lead, With = with, Method = MosaicMethod.Min });
        }
    }

    public override IEnumerable<WorkflowTask> Requires() => [new ModelFile { Model = PatchModel }, RoiInput, Mosaics];
    public override IEnumerable<Target> Output() => [Polygons];
    public override IReadOnlyDictionary<string, int> Resources => InferenceResources.For(Device);

    public override async Task RunAsync(TaskContext context)
    {
        var roi = await RunInputs.RoiAsync(context, Roi);
        // One mosaic in memory at a time (a tile's nine are 370 MB): each is read when the scoring reaches it.
        var paths = await Mosaics.PathsAsync(context, Tile);
        var mosaics = paths.Select(p => MosaicCog.Read(p.Path));
        var model = ((ModelFile)Requires().First()).OpenPatchGridModel(context.Targets, InferenceSettings.Default with { Device = Device }, context.Logger);
        using var progress = context.Progress(paths.Count, "mosaics");
        var windows = PatchScoring.Score(mosaics, roi, model, progress.Advance, context.CancellationToken);
        var features = windows.Select(w => (IFeature)new Feature(w.Footprint, new AttributesTable { { "mean", Math.Round(w.Mean, 6) } }));
        await context.WriteTextAsync(Polygons, GeoJsonWriter.ToJson(features));
    }
}

[Description("patch-classifier polygons of every tile → runs/<run_id>/<run_id>_patch.geojson (property \"mean\")")]
public sealed class PatchClassifier : RunTask, IPlansDynamicRequirements
{
    [Parameter(Help = "patch classifier name (models-manifest)")] public string PatchModel { get; init; } = "";
    [Parameter(Significant = false, Help = "auto, cpu or cuda")] public InferenceDevice Device { get; init; }

    public StoreTarget Polygons => new($"{RunFolder}{RunId}_patch.geojson");

    public override IEnumerable<WorkflowTask> Requires() => [RoiInput];
    public override IEnumerable<Target> Output() => [Polygons];

    private PatchTile TileTask(string tile, string mosaicGroup) => Clone(() => new PatchTile { Tile = tile, MosaicGroup = mosaicGroup });

    public async Task<IReadOnlyList<WorkflowTask>?> PlanDynamicRequirementsAsync(TargetResolver targets, CancellationToken ct) =>
        RoiTiles.MosaicGroups(await RoiTiles.CoverAsync(targets, Roi, ct)).Select(t => (WorkflowTask)TileTask(t.Tile.Id, t.Group)).ToList();

    public override async Task RunAsync(TaskContext context)
    {
        var tiles = await RoiTiles.CoverAsync(context.Targets, Roi, context.CancellationToken);
        var perTile = RoiTiles.MosaicGroups(tiles).Select(t => TileTask(t.Tile.Id, t.Group)).ToList();
        await context.RequireAsync(perTile);
        // Tile by tile into the file: Bali's 114 tiles hold ~1.3 M windows, which as one list took 2.7 GB more memory.
        await using var file = File.Create(context.StagePath(Polygons));
        using (var collection = GeoJsonWriter.Open(file))
            foreach (var task in perTile)
            {
                await using var tile = await context.OpenReadAsync(task.Polygons);
                foreach (var feature in GeoJsonReader.ReadFeatures(tile, context.Targets.UriOf(task.Polygons)))
                    collection.Add(feature);
            }
    }
}
