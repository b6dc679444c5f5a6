using Detect.Engine;
using Detect.Tasks.Geo;
using Detect.Tasks.Imagery;
using Detect.Tasks.Mosaics;
using Detect.Tasks.Tiling;
using NetTopologySuite.Geometries;

namespace Detect.Tasks.Pipeline;

/// <summary>Reads what a run task needs from the store: the ROI geometry, the scenes, the mosaics of a tile.</summary>
internal static class RunInputs
{
    public static async Task<Geometry> RoiAsync(TaskContext context, string roi)
    {
        var target = new RoiFile { Roi = roi }.Output().Single();
        return GeoJsonGeometryReader.Read(await context.ReadTextAsync(target), context.Targets.UriOf(target));
    }

    /// <summary>One mosaic per window for the tile's padded grid, from the scenes over it.</summary>
    public static async Task<IReadOnlyList<(MosaicWindow Window, Mosaic Mosaic)>> MosaicsAsync(TaskContext context, Tile tile,
        IReadOnlyList<MosaicWindow> windows, MosaicMethod method)
    {
        var footprint = tile.PaddedFootprintWgs84();
        var scenes = await SceneCatalog.FindAsync(context.Store, footprint, windows[0].Start, windows[^1].End, context.CancellationToken);
        if (scenes.Count == 0)
            throw new ImageryException(
                $"No scenes under {context.Store.UriOf(SceneCatalog.ItemsPrefix)} cover tile {tile.Id} between {windows[0].Start:yyyy-MM-dd} and {windows[^1].End:yyyy-MM-dd}. " +
                "Put STAC items (imagery/items/*.json) there, e.g. with `detect demo`.");
        var mosaics = new List<(MosaicWindow, Mosaic)>();
        foreach (var window in windows)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var inWindow = scenes.Where(s => window.Contains(s.Date)).ToList();
            mosaics.Add((window, MosaicBuilder.Build(tile.PaddedGrid, inWindow, method, context.CancellationToken)));
        }
        return mosaics;
    }
}
