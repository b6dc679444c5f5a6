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
/// once. With <c>--with</c> the task builds its neighbours' mosaics in the same pass (each exactly as built alone, each
/// scene block decoded once for all; <see cref="TileGroups"/>), which is how a Detect run asks for them. Deleting a
/// tile's folder (or its <c>_SUCCESS</c>) rebuilds it — with its group — and, by deep completeness, what used it.
/// </summary>
/// <remarks>
/// The min mosaics (what both models use) live at <c>mosaics/&lt;tile&gt;/</c>, other methods at
/// <c>mosaics-&lt;method&gt;/&lt;tile&gt;/</c>, so a median run never stands in for the min mosaics of the same tile.
/// The values are the mosaic's UInt16 DNs as float32, which is exact, so a mosaic read back is the mosaic built.
/// </remarks>
[Description("cloud-masked mosaics of one tile (and of --with tiles), one COG per window → runs/<run_id>/mosaics/<tile>/<window>.tif")]
[TaskFamily("Mosaic")]
[TaskIdParameters(nameof(Tile))]
public sealed class MosaicTask : RunTask
{
    [Parameter(Help = "tile id, e.g. 32750_x0037_y1057"), TileId] public string Tile { get; init; } = "";

    [Parameter(Help = "more tiles of the same UTM zone, comma-separated, whose mosaics are built in the same pass (scene blocks decoded once for all)"), TileIdList]
    public string With { get; init; } = "";

    [Parameter(Help = "min (as the pixel model was trained) or median")] public MosaicMethod Method { get; init; } = MosaicMethod.Min;

    /// <summary>This task's tiles: <see cref="Tile"/>, then the <see cref="With"/> tiles.</summary>
    public IReadOnlyList<string> Tiles => [Tile, .. TileIdListAttribute.Split(With)];

    public FlagTarget Folder => FolderOf(Tile);

    /// <summary>The mosaics folder of one of this task's tiles.</summary>
    public FlagTarget FolderOf(string tile) =>
        new($"{RunFolder}{(Method == MosaicMethod.Min ? "mosaics" : "mosaics-" + Method.ToString().ToLowerInvariant())}/{tile}/");

    /// <summary>The COG of one window inside <see cref="Folder"/>.</summary>
    public StoreTarget WindowTarget(MosaicWindow window) => WindowTarget(Tile, window);

    public StoreTarget WindowTarget(string tile, MosaicWindow window) => new($"{FolderOf(tile).Prefix}{window.Id}.tif");

    /// <summary>
    /// The Mosaic task's --tile and --with that build <paramref name="tile"/>'s mosaics within its group
    /// (<paramref name="group"/>: the group's tile ids, comma-separated, leader first — what Heatmaps and PatchClassifier
    /// give each tile); the tile alone when the group is empty or does not hold it.
    /// </summary>
    public static (string Tile, string With) Lead(string tile, string group)
    {
        var members = TileIdListAttribute.Split(group);
        return members.Count > 1 && members.Contains(tile, StringComparer.Ordinal)
            ? (members[0], string.Join(',', members.Skip(1)))
            : (tile, "");
    }

    public IReadOnlyList<MosaicWindow> Windows => MosaicWindows.Build(StartDate, EndDate, MosaicPeriod);

    public TileScenes Scenes => ScenesOf(Tile);

    public TileScenes ScenesOf(string tile) => Clone(() => new TileScenes { Tile = tile });

    public override IEnumerable<WorkflowTask> Requires() => Tiles.Select(ScenesOf);
    public override IEnumerable<Target> Output() => Tiles.Select(FolderOf);

    public override void ValidateParameters()
    {
        base.ValidateParameters();
        var tiles = Tiles.Select(t => Tiling.Tile.Parse(t)).ToList();
        if (tiles.Select(t => t.Id).Distinct(StringComparer.Ordinal).Count() != tiles.Count)
            throw new ParameterException($"Mosaic: --with '{With}' repeats a tile (or names --tile {Tile} again); name each tile once.");
        if (tiles.FirstOrDefault(t => t.Epsg != tiles[0].Epsg) is { } other)
            throw new ParameterException($"Mosaic: --with tile {other.Id} is in EPSG:{other.Epsg}, --tile {Tile} in EPSG:{tiles[0].Epsg}; " +
                                         "tiles built together share a UTM zone (run the other zone's tiles as their own Mosaic task).");
    }

    public override async Task RunAsync(TaskContext context)
    {
        var tiles = Tiles.Select(t => Tiling.Tile.Parse(t)).ToList();
        var windows = Windows;
        var directories = tiles.Select(t => context.StageDirectory(FolderOf(t.Id))).ToList();
        using var progress = context.Progress(windows.Count * tiles.Count, "mosaics");
        foreach (var (window, mosaics) in await RunInputs.BuildMosaicsAsync(context, tiles, windows, Method, tiles.Select(t => ScenesOf(t.Id)).ToList()))
        {
            for (var k = 0; k < tiles.Count; k++)
            {
                MosaicCog.Write(mosaics[k], Path.Combine(directories[k], window.Id + ".tif"));
                progress.Advance();
            }
        }
    }

    /// <summary>The mosaics this task wrote for <paramref name="tile"/> (default: <see cref="Tile"/>), one per window in window order.</summary>
    public async Task<IReadOnlyList<(MosaicWindow Window, Mosaic Mosaic)>> ReadAsync(TaskContext context, string? tile = null) =>
        [.. (await PathsAsync(context, tile)).Select(p => (p.Window, MosaicCog.Read(p.Path)))];

    /// <summary>Where GDAL reads the mosaics of <paramref name="tile"/> (default: <see cref="Tile"/>), one per window in window order.</summary>
    public async Task<IReadOnlyList<(MosaicWindow Window, string Path)>> PathsAsync(TaskContext context, string? tile = null)
    {
        var paths = new List<(MosaicWindow, string)>();
        foreach (var window in Windows) paths.Add((window, await RasterPaths.ForGdalAsync(context, WindowTarget(tile ?? Tile, window))));
        return paths;
    }
}
