namespace Detect.Tasks.Imagery;

/// <summary>
/// One Sentinel-2 band: <see cref="Asset"/> is its Earth Search asset key (the imagery contract's name),
/// <see cref="Band"/> the ESA band name, which is also the asset key of CDSE and Planetary Computer items.
/// </summary>
public sealed record SentinelBand(string Asset, string Band, int ResolutionMetres);

/// <summary>The 12 bands every model takes, in model order (B01 … B12 with B8A after B08), and the cloud mask.</summary>
public static class SentinelBands
{
    public const string CloudAsset = "cloud";

    /// <summary>The scene classification (SCL) of an L2A item, under our name; <see cref="SclKeys"/> are what APIs call it.</summary>
    public const string SclAsset = "scl";

    /// <summary>SCL asset keys: Earth Search, Planetary Computer, CDSE (20 m first).</summary>
    public static readonly IReadOnlyList<string> SclKeys = ["scl", "SCL", "SCL_20m", "SCL_60m"];

    public static readonly IReadOnlyList<SentinelBand> All =
    [
        new("coastal", "B01", 60),
        new("blue", "B02", 10),
        new("green", "B03", 10),
        new("red", "B04", 10),
        new("rededge1", "B05", 20),
        new("rededge2", "B06", 20),
        new("rededge3", "B07", 20),
        new("nir", "B08", 10),
        new("nir08", "B8A", 20),
        new("nir09", "B09", 60),
        new("swir16", "B11", 20),
        new("swir22", "B12", 20),
    ];

    public static int Count => All.Count;

    /// <summary>The 12 band assets and the cloud mask: what every item of the store's static catalog must have.</summary>
    public static readonly IReadOnlyList<string> RequiredAssets = [.. All.Select(b => b.Asset), CloudAsset];

    /// <summary>The band with this asset key, Earth Search (<c>nir08</c>) or ESA/CDSE (<c>B8A</c>) style; null if none.</summary>
    public static SentinelBand? ByKey(string key) =>
        All.FirstOrDefault(b => b.Asset == key || b.Band == key);

    /// <summary>Band DN nodata value.</summary>
    public const ushort NoData = 0;

    /// <summary>Cloud mask values.</summary>
    public const byte Clear = 0, Cloud = 1, CloudNoData = 255;
}
