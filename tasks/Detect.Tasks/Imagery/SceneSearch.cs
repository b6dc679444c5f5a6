using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Detect.Engine.Storage;
using Detect.Engine.Storage.S3;
using Detect.Tasks.Geo.GeoJson;
using Detect.Tasks.Imagery.Stac;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;

namespace Detect.Tasks.Imagery;

/// <summary>
/// Finds the scenes over an area and date range and returns them as a <see cref="SceneRecord"/>: from the store's
/// static catalog, or from a STAC API — one search per collection (the L1C scenes, and for <c>scl</c> masks their
/// L2A siblings), duplicates (same MGRS tile and datetime) reduced to the newest processing baseline, each L1C scene
/// paired with its L2A sibling (its <c>derived_from</c> link, else the same grid code and datetime); an L1C scene
/// without one is skipped and listed. No pixel is read.
/// </summary>
public static class SceneSearch
{
    /// <summary>Regions of the public Sentinel-2 buckets, for items that carry no storage:region.</summary>
    public static readonly IReadOnlyDictionary<string, string> KnownBucketRegions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["sentinel-s2-l1c"] = "eu-central-1",
        ["sentinel-s2-l2a"] = "eu-central-1",
        ["sentinel-cogs"] = "us-west-2",
    };

    public static async Task<SceneRecord> SearchAsync(IObjectStore store, ImageryOptions imagery, Geometry areaWgs84, DateOnly start, DateOnly end,
        ILogger? logger = null, StacApiOptions? apiOptions = null, CancellationToken ct = default)
    {
        if (end <= start) throw new ArgumentException($"end date {end:yyyy-MM-dd} must be after start date {start:yyyy-MM-dd}.");
        logger ??= NullLogger.Instance;
        var regions = new Dictionary<string, string>(StringComparer.Ordinal);
        var (scenes, skipped) = imagery.Source.IsStore
            ? (WithStoreKeys(store, await FromStoreAsync(store, imagery, areaWgs84, start, end, regions, ct)), new List<SkippedScene>())
            : await FromApiAsync(imagery, areaWgs84, start, end, logger, apiOptions, regions, ct);
        var buckets = BucketTable(store, imagery, scenes, regions);
        return new SceneRecord(imagery.Canonical, start, end, DateTimeOffset.UtcNow,
            scenes.OrderBy(s => s.Datetime).ThenBy(s => s.Id, StringComparer.Ordinal).ToList(), skipped, buckets);
    }

    private static async Task<List<RecordedScene>> FromStoreAsync(IObjectStore store, ImageryOptions imagery, Geometry area,
        DateOnly start, DateOnly end, Dictionary<string, string> regions, CancellationToken ct)
    {
        var required = imagery.CloudMask == CloudMaskMode.Asset ? SentinelBands.RequiredAssets : SentinelBands.All.Select(b => b.Asset).ToList();
        var items = await SceneCatalog.FindAsync(store, area, start, end, ct, required);
        NoteRegions(items, regions);
        return items.Select(item => imagery.CloudMask == CloudMaskMode.Asset
            ? RecordedScene.WithCloudAsset(item)
            : RecordedScene.FromItem(item, new SceneMask(CloudMaskMode.None))).ToList();
    }

    /// <summary>
    /// The store's own scenes with their hrefs as store keys (<c>imagery/assets/…</c>), not URIs: a record then names the
    /// files of whatever copy of the store reads it (a store copied or synced elsewhere). Hrefs outside the store stay absolute.
    /// </summary>
    private static List<RecordedScene> WithStoreKeys(IObjectStore store, List<RecordedScene> scenes)
    {
        string Key(string href) => SceneAccess.InStore(store, href) ?? href;
        return scenes.Select(s => s with
        {
            Bands = s.Bands.ToDictionary(b => b.Key, b => Key(b.Value), StringComparer.Ordinal),
            Mask = s.Mask with { Href = s.Mask.Href is { } href ? Key(href) : null },
        }).ToList();
    }

    private static async Task<(List<RecordedScene>, List<SkippedScene>)> FromApiAsync(ImageryOptions imagery, Geometry area,
        DateOnly start, DateOnly end, ILogger logger, StacApiOptions? apiOptions, Dictionary<string, string> regions, CancellationToken ct)
    {
        using var client = new StacApiClient(imagery.Source.ApiRoot!, apiOptions, logger);
        var useScl = imagery.CloudMask == CloudMaskMode.Scl;
        (await client.GetCollectionAsync(imagery.Collection, ct)).Dispose();
        if (useScl) (await client.GetCollectionAsync(imagery.CloudCollection, ct)).Dispose();

        var bandAssets = SentinelBands.All.Select(b => b.Asset).ToList();
        var required = imagery.CloudMask == CloudMaskMode.Asset ? [.. bandAssets, SentinelBands.CloudAsset] : bandAssets;
        var l1c = Newest(Parse(await client.SearchAsync(Body(imagery.Collection, area, start, end, imagery.MaxCloudCover, apiOptions?.PageLimit ?? 100), ct),
            client, imagery.Collection, required, area, start, end));
        NoteRegions(l1c, regions);
        var scenes = new List<RecordedScene>();
        var skipped = new List<SkippedScene>();
        if (!useScl)
        {
            foreach (var item in l1c)
                scenes.Add(imagery.CloudMask == CloudMaskMode.Asset
                    ? RecordedScene.WithCloudAsset(item)
                    : RecordedScene.FromItem(item, new SceneMask(CloudMaskMode.None)));
            return (scenes, skipped);
        }
        // L2A cloud cover differs from L1C's for the same scene: siblings are not filtered by it.
        var l2a = Newest(Parse(await client.SearchAsync(Body(imagery.CloudCollection, area, start, end, 100, apiOptions?.PageLimit ?? 100), ct),
            client, imagery.CloudCollection, [], area, start, end));
        NoteRegions(l2a, regions);
        var (paired, unpaired) = PairWithSiblings(l1c, l2a, imagery.CloudCollection);
        scenes.AddRange(paired);
        skipped.AddRange(unpaired);
        return (scenes, skipped);
    }

    /// <summary>
    /// Each L1C scene with the SCL of its L2A sibling: the L2A whose <c>derived_from</c> link names it, else the one with
    /// the same grid code and datetime (Earth Search's <c>sentinel-2-c1-l2a</c> has no such link). Without one it is skipped.
    /// </summary>
    internal static (List<RecordedScene> Scenes, List<SkippedScene> Skipped) PairWithSiblings(IReadOnlyList<StacItem> l1c, IReadOnlyList<StacItem> l2a,
        string cloudCollection)
    {
        var scenes = new List<RecordedScene>();
        var skipped = new List<SkippedScene>();
        var byDerived = l2a.Where(i => i.DerivedFrom is not null).GroupBy(i => i.DerivedFrom!).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var item in l1c)
        {
            var sibling = byDerived.GetValueOrDefault(item.Id)
                          ?? l2a.Where(s => SameScene(item, s)).MinBy(s => (s.Datetime - item.Datetime).Duration());
            if (sibling is null)
                skipped.Add(new SkippedScene(item.Id, item.Datetime,
                    $"no L2A sibling in {cloudCollection} (same grid code and datetime, or derived_from) for its SCL cloud mask"));
            else if (!sibling.AssetUris.TryGetValue(SentinelBands.SclAsset, out var scl))
                skipped.Add(new SkippedScene(item.Id, item.Datetime, $"its L2A sibling '{sibling.Id}' has no SCL asset"));
            else
                scenes.Add(RecordedScene.FromItem(item, new SceneMask(CloudMaskMode.Scl, sibling.Id, scl)));
        }
        return (scenes, skipped);
    }

    /// <summary>The POST /search body: collection, area (intersects), datetime range, page size, and eo:cloud_cover (query extension).</summary>
    public static JsonObject Body(string collection, Geometry area, DateOnly start, DateOnly end, double maxCloudCover, int limit = 100)
    {
        var body = new JsonObject
        {
            ["collections"] = new JsonArray(collection),
            ["intersects"] = JsonNode.Parse(GeoJsonWriter.GeometryToJson(area, decimals: 7)),
            // [start, end) in UTC: the interval is closed, so it ends 1 ms before the end date.
            ["datetime"] = $"{start:yyyy-MM-dd}T00:00:00Z/{end.ToDateTime(TimeOnly.MinValue).AddMilliseconds(-1).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)}",
            ["limit"] = limit,
        };
        // Earth Search has no CQL2 filter (its conformsTo lacks it): the query extension works on every API here.
        if (maxCloudCover < 100)
            body["query"] = new JsonObject { ["eo:cloud_cover"] = new JsonObject { ["lte"] = maxCloudCover } };
        return body;
    }

    private static List<StacItem> Parse(IReadOnlyList<JsonElement> features, StacApiClient client, string collection, IReadOnlyList<string> required,
        Geometry area, DateOnly start, DateOnly end)
    {
        var prepared = PreparedGeometryFactory.Prepare(area);
        var items = new List<StacItem>();
        foreach (var feature in features)
        {
            var uri = SelfHref(feature) ?? new Uri(client.Root, $"collections/{collection}/items/{Id(feature)}").AbsoluteUri;
            var item = StacItemParser.Parse(feature, uri, required);
            // Servers filter already; this keeps a lax one from adding scenes outside the run's range or area.
            if (item.Date < start || item.Date >= end || !prepared.Intersects(item.Footprint)) continue;
            items.Add(item);
        }
        return items;
    }

    private static string Id(JsonElement feature) =>
        feature.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? Uri.EscapeDataString(id.GetString()!) : "(no id)";

    private static string? SelfHref(JsonElement feature)
    {
        if (!feature.TryGetProperty("links", out var links) || links.ValueKind != JsonValueKind.Array) return null;
        foreach (var link in links.EnumerateArray())
            if (link.TryGetProperty("rel", out var rel) && rel.GetString() == "self" && link.TryGetProperty("href", out var href)
                && Uri.TryCreate(href.GetString(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
                return uri.AbsoluteUri;
        return null;
    }

    /// <summary>
    /// Items of one tile closer in time than this are one acquisition: reprocessings shift the datetime by milliseconds
    /// (Earth Search S2A_32TMT_20200305 _0_ vs _1_: 41.586 s vs 41.587 s), while two passes over a tile are ≥ ~100 min apart.
    /// </summary>
    public static readonly TimeSpan SameSceneTolerance = TimeSpan.FromMinutes(1);

    /// <summary>One item per scene (grid code + datetime): the newest processing baseline, then the greatest id.</summary>
    public static List<StacItem> Newest(IEnumerable<StacItem> items) =>
        Scenes(items)
            .Select(g => g.OrderByDescending(i => i.Baseline ?? "", StringComparer.Ordinal).ThenByDescending(i => i.Id, StringComparer.Ordinal).First())
            .ToList();

    /// <summary>Items grouped into acquisitions: same grid code (or id, without one), datetimes within <see cref="SameSceneTolerance"/>.</summary>
    private static IEnumerable<List<StacItem>> Scenes(IEnumerable<StacItem> items)
    {
        foreach (var tile in items.GroupBy(i => i.GridCode ?? i.Id, StringComparer.Ordinal))
        {
            List<StacItem>? group = null;
            foreach (var item in tile.OrderBy(i => i.Datetime))
            {
                if (group is not null && item.Datetime - group[^1].Datetime <= SameSceneTolerance) { group.Add(item); continue; }
                if (group is not null) yield return group;
                group = [item];
            }
            if (group is not null) yield return group;
        }
    }

    private static bool SameScene(StacItem a, StacItem b) =>
        a.GridCode is not null && a.GridCode == b.GridCode && (a.Datetime - b.Datetime).Duration() <= SameSceneTolerance;

    /// <summary>Buckets of s3:// assets whose item states a storage:region.</summary>
    private static void NoteRegions(IEnumerable<StacItem> items, Dictionary<string, string> regions)
    {
        foreach (var item in items.Where(i => i.StorageRegion is not null))
            foreach (var href in item.AssetUris.Values.Where(h => StoreUri.SchemeOf(h) == "s3"))
                regions.TryAdd(StoreUri.Parse(href).Authority, item.StorageRegion!);
    }

    /// <summary>
    /// How each imagery bucket outside the store is read: the region the items state (storage:region), else the
    /// known region of the public Sentinel-2 buckets, else the imagery S3 settings' region (AWS_REGION).
    /// </summary>
    private static Dictionary<string, BucketAccess> BucketTable(IObjectStore store, ImageryOptions imagery, IEnumerable<RecordedScene> scenes,
        IReadOnlyDictionary<string, string> regions)
    {
        var table = new Dictionary<string, BucketAccess>(StringComparer.Ordinal);
        S3Settings? settings = null;
        foreach (var href in scenes.SelectMany(s => s.Bands.Values.Append(s.Mask.Href ?? "")))
        {
            if (StoreUri.SchemeOf(href) != "s3" || SceneAccess.InStore(store, href) is not null) continue;
            var bucket = StoreUri.Parse(href).Authority;
            if (table.ContainsKey(bucket)) continue;
            settings ??= imagery.S3Settings(store);
            // Requester-pays is asked on every imagery read: required by the Sentinel-2 buckets, harmless elsewhere.
            table[bucket] = new BucketAccess(regions.GetValueOrDefault(bucket) ?? KnownBucketRegions.GetValueOrDefault(bucket) ?? settings.Region,
                RequesterPays: true);
        }
        return table;
    }
}
