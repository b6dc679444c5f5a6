using Detect.Engine;
using Detect.Tasks.Geo.GeoJson;
using Detect.Tasks.Imagery;
using Detect.Tasks.Mosaics;
using Detect.Tasks.Tiling;
using NetTopologySuite.Geometries;

namespace Detect.Tasks.Pipeline;

/// <summary>Reads what a run task needs from the store: the ROI geometry, the tile's scene record, the mosaics of a tile.</summary>
internal static class RunInputs
{
    public static async Task<Geometry> RoiAsync(TaskContext context, string roi)
    {
        var target = new RoiFile { Roi = roi }.Output().Single();
        return GeoJsonReader.ReadArea(await context.ReadTextAsync(target), context.Targets.UriOf(target));
    }

    /// <summary>
    /// One mosaic per window for the tile's padded grid, from the scenes its record lists, built lazily in window order
    /// (one in memory at a time for a caller that streams). Only the Mosaic task builds them; the others read its COGs.
    /// </summary>
    public static async Task<IEnumerable<(MosaicWindow Window, Mosaic Mosaic)>> BuildMosaicsAsync(TaskContext context, Tile tile,
        IReadOnlyList<MosaicWindow> windows, MosaicMethod method, TileScenes scenes)
    {
        var record = await scenes.ReadAsync(context);
        if (record.Scenes.Count == 0)
            throw new ImageryException(NoScenesMessage(context, scenes, record, $"tile {tile.Id}"));
        var access = new SceneAccess(context.Store, scenes.ImageryOptions, record.Buckets);
        return TileMosaics.Build(tile, record, access, windows, method, context.CancellationToken);
    }

    /// <summary>
    /// The same for a group of tiles in one pass (<see cref="TileMosaics.BuildGroup"/>): per window, the tiles' mosaics in
    /// tile order. Each tile's scenes are its own record's; a tile whose record lists no scene fails the task, as alone.
    /// </summary>
    public static async Task<IEnumerable<(MosaicWindow Window, IReadOnlyList<Mosaic> Mosaics)>> BuildMosaicsAsync(TaskContext context,
        IReadOnlyList<Tile> tiles, IReadOnlyList<MosaicWindow> windows, MosaicMethod method, IReadOnlyList<TileScenes> scenes)
    {
        var records = new List<SceneRecord>();
        for (var k = 0; k < tiles.Count; k++)
        {
            var record = await scenes[k].ReadAsync(context);
            if (record.Scenes.Count == 0)
                throw new ImageryException(NoScenesMessage(context, scenes[k], record, $"tile {tiles[k].Id}"));
            records.Add(record);
        }
        var buckets = records.SelectMany(r => r.Buckets).GroupBy(b => b.Key).ToDictionary(g => g.Key, g => g.First().Value);
        var access = new SceneAccess(context.Store, scenes[0].ImageryOptions, buckets);
        return TileMosaics.BuildGroup(tiles, records, access, windows, method, context.CancellationToken);
    }

    public static string NoScenesMessage(TaskContext context, ImageryTask task, SceneRecord record, string what)
    {
        var imagery = task.ImageryOptions;
        var range = $"between {record.Start:yyyy-MM-dd} and {record.End:yyyy-MM-dd}";
        var skipped = record.Skipped.Count > 0 ? $" ({record.Skipped.Count} skipped: {record.Skipped[0].Reason})" : "";
        return imagery.Source.IsStore
            ? $"No scenes under {context.Store.UriOf(SceneCatalog.ItemsPrefix)} cover {what} {range}. " +
              "Put STAC items (imagery/items/*.json) there, e.g. with `detect demo`, or search a STAC API with --imagery earth-search."
            : $"No scenes of '{imagery.Collection}' at {imagery.Source} cover {what} {range} with eo:cloud_cover ≤ {imagery.MaxCloudCover}{skipped}. " +
              "Check with `detect scenes`, widen the dates or raise --max-cloud-cover.";
    }
}
