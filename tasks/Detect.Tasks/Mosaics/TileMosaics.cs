using Detect.Engine.Storage;
using Detect.Tasks.Imagery;
using Detect.Tasks.Tiling;

namespace Detect.Tasks.Mosaics;

/// <summary>The per-tile entry point: the scenes over a tile, and one mosaic per window on the tile's padded grid.</summary>
public static class TileMosaics
{
    /// <summary>Scenes (validated STAC items) overlapping the tile's padded footprint in [start, end).</summary>
    public static Task<IReadOnlyList<StacItem>> FindScenesAsync(IObjectStore store, Tile tile, DateOnly start, DateOnly end,
        CancellationToken ct = default) =>
        SceneCatalog.FindAsync(store, tile.PaddedFootprintWgs84(), start, end, ct);

    /// <summary>
    /// One mosaic per window, built lazily in window order (a caller that streams keeps one in memory;
    /// 39 MB for a 900 px tile). A window without any clear observation yields an all-NaN mosaic.
    /// </summary>
    public static IEnumerable<(MosaicWindow Window, Mosaic Mosaic)> Build(Tile tile, IReadOnlyList<StacItem> scenes,
        IReadOnlyList<MosaicWindow> windows, MosaicMethod method, CancellationToken ct = default)
    {
        foreach (var window in windows)
        {
            ct.ThrowIfCancellationRequested();
            yield return (window, MosaicBuilder.Build(tile.PaddedGrid, scenes.Where(s => window.Contains(s.Datetime)), method, ct));
        }
    }

    /// <summary>Where the Mosaic task writes a window's mosaic: <c>runs/&lt;run_id&gt;/mosaics/&lt;tile&gt;/&lt;window&gt;.tif</c>.</summary>
    public static string Key(string runId, Tile tile, MosaicWindow window) => $"runs/{runId}/mosaics/{tile.Id}/{window.Id}.tif";
}
