using NetTopologySuite.Geometries;

namespace Detect.Tasks.Imagery;

/// <summary>Where a scene's clear pixels come from: the mode, and for scl/asset the item and href of the mask raster.</summary>
public sealed record SceneMask(CloudMaskMode Source, string? Item = null, string? Href = null);

/// <summary>
/// One scene as a record holds it: enough to read its pixels again exactly, without asking any catalog —
/// item id, acquisition time, the 12 band hrefs (Earth Search names), the DN offset to remove and the mask.
/// </summary>
public sealed record RecordedScene(
    string Id,
    DateTimeOffset Datetime,
    Geometry Footprint,
    IReadOnlyDictionary<string, string> Bands,
    SceneMask Mask)
{
    public string? Collection { get; init; }
    public string? GridCode { get; init; }
    public double? CloudCover { get; init; }
    public string? Baseline { get; init; }
    /// <summary>DNs subtracted from every band value but nodata (1000 for baseline ≥ 04.00).</summary>
    public int Offset { get; init; }

    public DateOnly Date => DateOnly.FromDateTime(Datetime.UtcDateTime);

    /// <summary>The scene of a parsed item, with its 12 band hrefs and the given mask (its cloud asset for <see cref="CloudMaskMode.Asset"/>).</summary>
    public static RecordedScene FromItem(StacItem item, SceneMask mask) =>
        new(item.Id, item.Datetime, item.Footprint,
            SentinelBands.All.ToDictionary(b => b.Asset, b => item.AssetUris.TryGetValue(b.Asset, out var h) ? h
                : throw new ImageryException($"STAC item '{item.Id}' ({item.ItemUri}) has no asset '{b.Asset}'."), StringComparer.Ordinal), mask)
        {
            Collection = item.Collection, GridCode = item.GridCode, CloudCover = item.CloudCover, Baseline = item.Baseline, Offset = item.Offset,
        };

    /// <summary>The scene of a static-catalog item masked by its own <c>cloud</c> asset.</summary>
    public static RecordedScene WithCloudAsset(StacItem item) =>
        FromItem(item, new SceneMask(CloudMaskMode.Asset, item.Id,
            item.AssetUris.TryGetValue(SentinelBands.CloudAsset, out var cloud) ? cloud
                : throw new ImageryException($"STAC item '{item.Id}' ({item.ItemUri}) has no asset '{SentinelBands.CloudAsset}'.")));

    public string Href(string asset) => Bands.TryGetValue(asset, out var href)
        ? href
        : throw new ImageryException($"Scene '{Id}' has no band asset '{asset}' in its record.");
}

/// <summary>How s3:// hrefs of one bucket are read: its region and whether requests say "requester pays".</summary>
public sealed record BucketAccess(string Region, bool RequesterPays);

/// <summary>A scene the search found but the run does not use, and why (e.g. no L2A sibling for its SCL mask).</summary>
public sealed record SkippedScene(string Id, DateTimeOffset Datetime, string Reason);

/// <summary>
/// The scenes one tile (or site box) of a run uses: written once by a record task, read by every task after it,
/// so reruns read exactly the same scenes whatever the catalog does meanwhile.
/// </summary>
public sealed record SceneRecord(
    string Imagery,
    DateOnly Start,
    DateOnly End,
    DateTimeOffset SearchedAt,
    IReadOnlyList<RecordedScene> Scenes,
    IReadOnlyList<SkippedScene> Skipped,
    IReadOnlyDictionary<string, BucketAccess> Buckets)
{
    /// <summary>Scenes acquired in [start, end), in time order.</summary>
    public IEnumerable<RecordedScene> Between(DateOnly start, DateOnly end) => Scenes.Where(s => s.Date >= start && s.Date < end);
}
