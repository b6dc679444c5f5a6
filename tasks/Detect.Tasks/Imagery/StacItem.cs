using Detect.Tasks.Native.Gdal;
using NetTopologySuite.Geometries;

namespace Detect.Tasks.Imagery;

/// <summary>
/// One scene: a STAC item with its band assets (keyed by Earth Search names whatever the API called them),
/// the optional <c>cloud</c> and <c>scl</c> masks, hrefs resolved to absolute URIs (file://, s3://, https://),
/// and what decides how its pixels are read: processing baseline, MGRS grid code and storage hints.
/// </summary>
public sealed record StacItem(
    string Id,
    string ItemUri,
    DateTimeOffset Datetime,
    Geometry Footprint,
    IReadOnlyDictionary<string, string> AssetUris)
{
    public string? Collection { get; init; }

    /// <summary>MGRS grid code without prefix, e.g. <c>20EPT</c> (from grid:code, s2:mgrs_tile or mgrs:*).</summary>
    public string? GridCode { get; init; }

    public double? CloudCover { get; init; }

    /// <summary>Processing baseline "NN.NN" (s2:processing_baseline, or CDSE processing:version).</summary>
    public string? Baseline { get; init; }

    /// <summary>DN offset stated by the band assets' raster metadata (offset / scale, negated), when present.</summary>
    public int? RasterOffsetDn { get; init; }

    /// <summary>The id of the item this one was derived from (an L2A's <c>derived_from</c> link to its L1C).</summary>
    public string? DerivedFrom { get; init; }

    /// <summary>Storage extension hints for s3:// assets (null = not stated).</summary>
    public string? StorageRegion { get; init; }
    public bool? RequesterPays { get; init; }

    /// <summary>The DNs to subtract before the models see the values (1000 for baseline ≥ 04.00).</summary>
    public int Offset => ProcessingBaseline.OffsetDn(Baseline, RasterOffsetDn);

    /// <summary>The path GDAL opens for an asset (/vsis3/…, /vsicurl/…, or a local path).</summary>
    public string GdalPath(string asset) =>
        AssetUris.TryGetValue(asset, out var uri)
            ? GdalPaths.FromUri(uri)
            : throw new ImageryException($"STAC item '{Id}' ({ItemUri}) has no asset '{asset}'.");

    /// <summary>Opens an asset with GDAL; a failure is an <see cref="ImageryException"/> naming item, asset and file.</summary>
    public GdalDataset OpenAsset(string asset)
    {
        var path = GdalPath(asset);
        try
        {
            return GdalDataset.Open(path);
        }
        catch (GdalException e)
        {
            throw new ImageryException($"STAC item '{Id}' asset '{asset}' could not be read: {e.Message}", e);
        }
    }

    public DateOnly Date => DateOnly.FromDateTime(Datetime.UtcDateTime);
}
