using System.ComponentModel;
using System.Text.Json;
using Detect.Engine;
using Detect.Engine.Parameters;
using Detect.Tasks.Inference;

using Detect.Tasks.Tiling;

namespace Detect.Tasks.Pipeline;

/// <summary>
/// Covers the ROI with tiles and requires one <see cref="Heatmap"/> per tile (dynamically: the tiles come from
/// the ROI file), then writes the tile index. Complete when every tile's heatmap exists, so deleting one
/// tile's heatmap recomputes only that tile.
/// </summary>
[Description("every tile's heatmap for the ROI → runs/<run_id>/heatmaps/tiles.json (the tile index)")]
public sealed class Heatmaps : RunTask, IPlansDynamicRequirements
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    [Parameter(Help = "pixel model name")] public string Model { get; init; } = "";
    [Parameter(Help = "mosaic periods between the two mosaics of a pair")] public int SpectrogramInterval { get; init; }
    [Parameter(Significant = false, Help = "auto, cpu or cuda")] public InferenceDevice Device { get; init; }

    public StoreTarget Index => new($"{RunFolder}heatmaps/tiles.json");

    public override IEnumerable<WorkflowTask> Requires() => [RoiInput];
    public override IEnumerable<Target> Output() => [Index];

    /// <summary>A tile's heatmap, its mosaics built with its <see cref="TileGroups"/> group (<see cref="RoiTiles.MosaicGroups"/>).</summary>
    public Heatmap TileTask(string tile, string mosaicGroup = "") => Clone(() => new Heatmap { Tile = tile, MosaicGroup = mosaicGroup });

    public async Task<IReadOnlyList<WorkflowTask>?> PlanDynamicRequirementsAsync(TargetResolver targets, CancellationToken ct) =>
        RoiTiles.MosaicGroups(await RoiTiles.CoverAsync(targets, Roi, ct)).Select(t => (WorkflowTask)TileTask(t.Tile.Id, t.Group)).ToList();

    public override async Task RunAsync(TaskContext context)
    {
        var tiles = await RoiTiles.CoverAsync(context.Targets, Roi, context.CancellationToken);
        await context.RequireAsync(RoiTiles.MosaicGroups(tiles).Select(t => TileTask(t.Tile.Id, t.Group)));
        // Keys, not URIs: the index stays right in a copy of the store.
        var index = tiles.Select(t => new { tile = t.Id, heatmap = TileTask(t.Id).HeatmapTarget.Key });
        await context.WriteTextAsync(Index, JsonSerializer.Serialize(index, Indented));
    }
}
