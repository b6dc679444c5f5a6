using Detect.Tasks.Native.Gdal;
using NetTopologySuite.Geometries;

namespace Detect.Tasks.Imagery;

/// <summary>
/// One scene: a STAC 1.0 item with its 12 band assets and cloud mask, asset hrefs resolved to absolute URIs
/// (file://, s3://, https://).
/// </summary>
public sealed record StacItem(
    string Id,
    string ItemUri,
    DateTimeOffset Datetime,
    Geometry Footprint,
    IReadOnlyDictionary<string, string> AssetUris)
{
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
