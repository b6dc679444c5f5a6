using Detect.Tasks.Tiling;
using System.ComponentModel;
using Detect.Engine;
using Detect.Engine.Parameters;
using Detect.Tasks.Mosaics;

namespace Detect.Tasks.Pipeline;

/// <summary>
/// The cloud-free mosaics of one tile as COGs, one per window (12 float32 bands B01…B12, nodata NaN; with
/// <c>--mosaic-period 1</c> the monthly mosaics seed-style Sentinel-2 tools make). The one place a tile's scenes are
/// read: <see cref="Heatmap"/> and <see cref="PatchTile"/> both read these files, so a tile is read and resampled
/// once. Deleting the folder (or its <c>_SUCCESS</c>) rebuilds it and, by deep completeness, what used it.
/// </summary>
/// <remarks>
/// The min mosaics (what both models use) live at <c>mosaics/&lt;tile&gt;/</c>, other methods at
/// <c>mosaics-&lt;method&gt;/&lt;tile&gt;/</c>, so a median run never stands in for the min mosaics of the same tile.
/// The values are the mosaic's UInt16 DNs as float32, which is exact, so a mosaic read back is the mosaic built.
/// </remarks>
[Description("cloud-masked mosaics of one tile, one COG per window → runs/<run_id>/mosaics/<tile>/<window>.tif")]
[TaskFamily("Mosaic")]
[TaskIdParameters(nameof(Tile))]
public sealed class MosaicTask : RunTask
{
    [Parameter(Help = "tile id, e.g. 32750_x0037_y1057"), TileId] public string Tile { get; init; } = "";
    [Parameter(Help = "min (as the pixel model was trained) or median")] public MosaicMethod Method { get; init; } = MosaicMethod.Min;

    public FlagTarget Folder => new($"{RunFolder}{(Method == MosaicMethod.Min ? "mosaics" : "mosaics-" + Method.ToString().ToLowerInvariant())}/{Tile}/");

    /// <summary>The COG of one window inside <see cref="Folder"/>.</summary>
    public StoreTarget WindowTarget(MosaicWindow window) => new($"{Folder.Prefix}{window.Id}.tif");

    public IReadOnlyList<MosaicWindow> Windows => MosaicWindows.Build(StartDate, EndDate, MosaicPeriod);

    public TileScenes Scenes => Clone<TileScenes>();

    public override IEnumerable<WorkflowTask> Requires() => [Scenes];
    public override IEnumerable<Target> Output() => [Folder];

    public override async Task RunAsync(TaskContext context)
    {
        var tile = Tiling.Tile.Parse(Tile);
        var windows = Windows;
        var directory = context.StageDirectory(Folder);
        using var progress = context.Progress(windows.Count, "mosaics");
        foreach (var (window, mosaic) in await RunInputs.BuildMosaicsAsync(context, tile, windows, Method, Scenes))
        {
            MosaicCog.Write(mosaic, Path.Combine(directory, window.Id + ".tif"));
            progress.Advance();
        }
    }

    /// <summary>The mosaics this task wrote, one per window in window order (for the tasks that require it).</summary>
    public async Task<IReadOnlyList<(MosaicWindow Window, Mosaic Mosaic)>> ReadAsync(TaskContext context)
    {
        var mosaics = new List<(MosaicWindow, Mosaic)>();
        foreach (var window in Windows)
            mosaics.Add((window, MosaicCog.Read(await RasterPaths.ForGdalAsync(context, WindowTarget(window)))));
        return mosaics;
    }
}
