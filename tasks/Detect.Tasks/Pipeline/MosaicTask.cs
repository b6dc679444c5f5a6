using System.ComponentModel;
using Detect.Engine;
using Detect.Engine.Parameters;
using Detect.Tasks.Mosaics;
using Detect.Tasks.Tiling;

namespace Detect.Tasks.Pipeline;

/// <summary>
/// The cloud-free mosaics of one tile as COGs, one per window (12 float32 bands B01…B12, nodata NaN):
/// the monthly/seasonal mosaic product users of seed-style Sentinel-2 tools expect. Not needed by Detect.
/// </summary>
[Description("cloud-masked mosaics of one tile, one COG per window → runs/<run_id>/mosaics/<tile>/<window>.tif")]
[TaskFamily("Mosaic")]
[TaskIdParameters(nameof(Tile))]
public sealed class MosaicTask : RunTask
{
    [Parameter(Help = "tile id, e.g. 32750_x0037_y1057")] public string Tile { get; init; } = "";
    [Parameter(Help = "min (as the pixel model was trained) or median")] public MosaicMethod Method { get; init; } = MosaicMethod.Min;

    public FlagTarget Folder => new($"{RunFolder}mosaics/{Tile}/");

    public TileScenes Scenes => Clone<TileScenes>();

    public override IEnumerable<WorkflowTask> Requires() => [Scenes];
    public override IEnumerable<Target> Output() => [Folder];

    public override async Task RunAsync(TaskContext context)
    {
        var tile = Tiling.Tile.Parse(Tile);
        var windows = MosaicWindows.Build(StartDate, EndDate, MosaicPeriod);
        var directory = context.StageDirectory(Folder);
        using var progress = context.Progress(windows.Count, "mosaics");
        foreach (var (window, mosaic) in await RunInputs.MosaicsAsync(context, tile, windows, Method, Scenes))
        {
            MosaicCog.Write(mosaic, Path.Combine(directory, window.Id + ".tif"));
            progress.Advance();
        }
    }
}
