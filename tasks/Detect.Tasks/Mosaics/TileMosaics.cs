using Detect.Tasks.Imagery;
using Detect.Tasks.Tiling;

namespace Detect.Tasks.Mosaics;

/// <summary>
/// The per-tile entry point of scene reading: one mosaic per window on the tile's padded grid, from the scenes a
/// record lists. Everything that turns pixels of scenes into mosaics (Heatmap, PatchTile, Mosaic) calls this.
/// </summary>
public static class TileMosaics
{
    /// <summary>
    /// One mosaic per window, built lazily in window order (a caller that streams keeps one in memory;
    /// 39 MB for a 900 px tile). A window without any clear observation yields an all-NaN mosaic.
    /// </summary>
    public static IEnumerable<(MosaicWindow Window, Mosaic Mosaic)> Build(Tile tile, SceneRecord record, SceneAccess access,
        IReadOnlyList<MosaicWindow> windows, MosaicMethod method, CancellationToken ct = default)
    {
        foreach (var window in windows)
        {
            ct.ThrowIfCancellationRequested();
            yield return (window, MosaicBuilder.Build(tile.PaddedGrid, record.Between(window.Start, window.End), method, access, ct));
        }
    }

    /// <summary>
    /// The same for neighbouring tiles in one pass over their scenes (<see cref="MosaicBuilder"/>, with every tile's grid at once):
    /// per window, each tile's mosaic from its own record's scenes, in tile order, each exactly as built alone.
    /// </summary>
    public static IEnumerable<(MosaicWindow Window, IReadOnlyList<Mosaic> Mosaics)> BuildGroup(IReadOnlyList<Tile> tiles, IReadOnlyList<SceneRecord> records,
        SceneAccess access, IReadOnlyList<MosaicWindow> windows, MosaicMethod method, CancellationToken ct = default)
    {
        var grids = tiles.Select(t => t.PaddedGrid).ToList();
        foreach (var window in windows)
        {
            ct.ThrowIfCancellationRequested();
            var scenes = records.Select(r => (IReadOnlyList<RecordedScene>)r.Between(window.Start, window.End).ToList()).ToList();
            yield return (window, MosaicBuilder.Build(grids, scenes, method, access, ct));
        }
    }

    /// <summary>Where the Mosaic task writes a window's mosaic: <c>runs/&lt;run_id&gt;/mosaics/&lt;tile&gt;/&lt;window&gt;.tif</c>.</summary>
    public static string Key(string runId, Tile tile, MosaicWindow window) => $"runs/{runId}/mosaics/{tile.Id}/{window.Id}.tif";
}
