using Detect.Tasks.Tiling;
using System.ComponentModel;
using Detect.Engine;
using Detect.Engine.Parameters;
using Detect.Tasks.Inference;
using Detect.Tasks.Models;
using Detect.Tasks.Mosaics;
using Detect.Tasks.Native.Gdal;
using Microsoft.Extensions.Logging;

namespace Detect.Tasks.Pipeline;

[Description("pixel-model heatmap of one tile: median P(TPA) over pairs of its Mosaic COGs → runs/<run_id>/heatmaps/<tile>_median.tif")]
[TaskIdParameters(nameof(Tile))]
public sealed class Heatmap : RunTask, IRunsInference
{
    public const string BandName = "median";

    [Parameter(Help = "tile id, e.g. 32750_x0037_y1056 (see Heatmaps)"), TileId] public string Tile { get; init; } = "";
    [Parameter(Help = "pixel model name (models-manifest)")] public string Model { get; init; } = "";
    [Parameter(Help = "mosaic periods between the two mosaics of a pair")] public int SpectrogramInterval { get; init; }
    [Parameter(Significant = false, Help = "auto, cpu or cuda")] public InferenceDevice Device { get; init; }

    /// <summary>Not part of the task's identity: which Mosaic task builds the tile's mosaics, not what they are.</summary>
    [Parameter(Significant = false, Help = "tiles whose mosaics are built in one pass with this tile's, comma-separated, leader first (Heatmaps sets it; empty: this tile alone)"), TileIdList]
    public string MosaicGroup { get; init; } = "";

    public StoreTarget HeatmapTarget => new($"{RunFolder}heatmaps/{Tile}_median.tif");

    /// <summary>The tile's min mosaics (the pixel model was trained on per-band minimum composites).</summary>
    public MosaicTask Mosaics
    {
        get
        {
            var (lead, with) = MosaicTask.Lead(Tile, MosaicGroup);
            return Clone(() => new MosaicTask { Tile = lead, With = with, Method = MosaicMethod.Min });
        }
    }

    public override IEnumerable<WorkflowTask> Requires() => [Clone<ModelFile>(), Mosaics];
    public override IEnumerable<Target> Output() => [HeatmapTarget];
    public override IReadOnlyDictionary<string, int> Resources => InferenceResources.For(Device);

    public override async Task RunAsync(TaskContext context)
    {
        var tile = Tiling.Tile.Parse(Tile);
        var windows = Mosaics.Windows;
        var pairs = MosaicWindows.Pairs(windows, SpectrogramInterval);
        if (pairs.Count == 0)
            throw new ParameterException($"Heatmap: {windows.Count} mosaic period(s) between --start-date and --end-date leave no pair {SpectrogramInterval} apart; widen the dates.");
        var mosaics = (await Mosaics.ReadAsync(context, Tile)).ToDictionary(m => m.Window, m => m.Mosaic);

        var model = ((ModelFile)Requires().First()).OpenPixelModel(context.Targets, InferenceSettings.Default with { Device = Device }, context.Logger);
        var mosaicPairs = pairs.Select(p => (mosaics[p.First], mosaics[p.Second])).ToList();
        var validPairs = mosaicPairs.Sum(p => (long)Enumerable.Range(0, p.Item1.PixelCount).Count(i => p.Item1.IsValid(i) && p.Item2.IsValid(i)));
        using var progress = context.Progress(validPairs, "px");
        var heatmap = HeatmapInference.Median(mosaicPairs, model, progress.Advance, context.CancellationToken);

        Cog.Write<float>(context.StagePath(HeatmapTarget), tile.PaddedGrid, [heatmap], [BandName], float.NaN);
        context.Logger.LogDebug("heatmap {Tile}: {Pairs} pairs, max {Max:0.000}", Tile, pairs.Count, heatmap.Where(v => !float.IsNaN(v)).DefaultIfEmpty(0).Max());
    }
}
