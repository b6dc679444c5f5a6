using Detect.Engine.Storage;
using Detect.Tasks.Native.Gdal;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;

namespace Detect.Tasks.Imagery;

/// <summary>Finds the scenes of a store: the STAC items under <c>imagery/items/*.json</c>.</summary>
public static class SceneCatalog
{
    public const string ItemsPrefix = "imagery/items/";

    /// <summary>
    /// Every item whose footprint intersects <paramref name="roi"/> (WGS84) with a datetime in
    /// [<paramref name="start"/>, <paramref name="end"/>) (UTC dates), ordered by datetime then id.
    /// Items are validated as they are parsed: a broken item is an error naming it, even outside the ROI.
    /// </summary>
    /// <param name="requiredAssets">Assets every item must have (default: the 12 bands and <c>cloud</c>).</param>
    public static async Task<IReadOnlyList<StacItem>> FindAsync(IObjectStore store, Geometry roi, DateOnly start, DateOnly end,
        IReadOnlyList<string>? requiredAssets = null, CancellationToken ct = default)
    {
        if (end <= start) throw new ArgumentException($"end date {end:yyyy-MM-dd} must be after start date {start:yyyy-MM-dd}.");
        var prepared = PreparedGeometryFactory.Prepare(roi);
        var keys = (await store.ListAsync(ItemsPrefix, ct))
            .Where(k => k.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && !k[ItemsPrefix.Length..].Contains('/'))
            .ToList();
        var items = new List<StacItem>();
        foreach (var key in keys)
        {
            var item = await ReadItemAsync(store, key, requiredAssets, ct);
            if (item.Date < start || item.Date >= end) continue;
            if (!prepared.Intersects(item.Footprint)) continue;
            items.Add(item);
        }
        return items.OrderBy(i => i.Datetime).ThenBy(i => i.Id, StringComparer.Ordinal).ToList();
    }

    public static async Task<StacItem> ReadItemAsync(IObjectStore store, string key,
        IReadOnlyList<string>? requiredAssets = null, CancellationToken ct = default)
    {
        string json;
        await using (var stream = await store.OpenReadAsync(key, ct))
        using (var reader = new StreamReader(stream))
            json = await reader.ReadToEndAsync(ct);
        return StacItemParser.Parse(json, store.UriOf(key), requiredAssets);
    }

    /// <summary>
    /// Opens every asset of the item with GDAL and checks it is a one-band georeferenced raster; the first
    /// problem is an <see cref="ImageryException"/> naming item and asset.
    /// </summary>
    public static void EnsureReadable(StacItem item)
    {
        foreach (var asset in SentinelBands.RequiredAssets)
        {
            using var dataset = item.OpenAsset(asset);
            try
            {
                if (dataset.BandCount != 1)
                    throw new ImageryException($"STAC item '{item.Id}' asset '{asset}' ({dataset.Path}) has {dataset.BandCount} bands; one is expected.");
                _ = dataset.GeoTransform;
                using var _srs = dataset.SpatialReference();
            }
            catch (GdalException e)
            {
                throw new ImageryException($"STAC item '{item.Id}' asset '{asset}': {e.Message}", e);
            }
        }
    }
}
