using System.Globalization;
using System.Text.Json;
using Detect.Engine.Storage;
using Detect.Tasks.Geo;
using Detect.Tasks.Geo.GeoJson;
using Detect.Tasks.Native.Gdal;
using NetTopologySuite.Geometries;

namespace Detect.Tasks.Imagery;

/// <summary>One asset raster to write: a one-band grid of UInt16 DNs (bands) or bytes (cloud mask).</summary>
public sealed record AssetRaster(RasterGrid Grid, ReadOnlyMemory<ushort> Dns, ReadOnlyMemory<byte> Mask, string Description)
{
    public static AssetRaster Band(RasterGrid grid, ushort[] dns, string description) => new(grid, dns, default, description);
    public static AssetRaster CloudMask(RasterGrid grid, byte[] mask) => new(grid, default, mask, SentinelBands.CloudAsset);
}

/// <summary>
/// Writes a scene in the imagery contract's layout: COG assets under <c>imagery/assets/&lt;id&gt;/&lt;asset&gt;.tif</c>
/// and the STAC item <c>imagery/items/&lt;id&gt;.json</c> with hrefs relative to the item.
/// </summary>
public static class StacSceneWriter
{
    public const string AssetsPrefix = "imagery/assets/";

    // Fast compression: input scenes are written often (tests, demos) and read a few times.
    private static readonly string[] AssetOptions = ["COMPRESS=DEFLATE", "LEVEL=1", "PREDICTOR=YES", "BLOCKSIZE=256", "OVERVIEWS=NONE"];

    public static async Task<string> WriteAsync(IObjectStore store, string itemId, DateTimeOffset datetime,
        IReadOnlyDictionary<string, AssetRaster> assets, string scratchDirectory, CancellationToken ct = default)
    {
        Directory.CreateDirectory(scratchDirectory);
        var footprint = assets.Values.Select(a => a.Grid).Distinct().Select(GridFootprint.Wgs84).Aggregate((a, b) => a.Union(b));
        foreach (var (name, raster) in assets)
        {
            var local = Path.Combine(scratchDirectory, $"{itemId}_{name}.tif");
            if (raster.Mask.Length > 0)
                Cog.Write(local, raster.Grid, [raster.Mask], [raster.Description], SentinelBands.CloudNoData, AssetOptions);
            else
                Cog.Write(local, raster.Grid, [raster.Dns], [raster.Description], SentinelBands.NoData, AssetOptions);
            await store.PublishFileAsync($"{AssetsPrefix}{itemId}/{name}.tif", local, ct);
            File.Delete(local);
        }
        var key = $"{SceneCatalog.ItemsPrefix}{itemId}.json";
        var itemPath = Path.Combine(scratchDirectory, $"{itemId}.json");
        await File.WriteAllBytesAsync(itemPath, ItemJson(itemId, datetime, footprint, assets), ct);
        await store.PublishFileAsync(key, itemPath, ct);
        File.Delete(itemPath);
        return key;
    }

    private static byte[] ItemJson(string id, DateTimeOffset datetime, Geometry footprint, IReadOnlyDictionary<string, AssetRaster> assets)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("type", "Feature");
            w.WriteString("stac_version", "1.0.0");
            w.WriteString("id", id);
            var hull = footprint.ConvexHull();
            w.WritePropertyName("geometry");
            GeoJsonWriter.WriteGeometry(w, hull, decimals: 7);
            var e = hull.EnvelopeInternal;
            w.WriteStartArray("bbox");
            foreach (var v in new[] { e.MinX, e.MinY, e.MaxX, e.MaxY }) w.WriteNumberValue(Math.Round(v, 7));
            w.WriteEndArray();
            w.WriteStartObject("properties");
            w.WriteString("datetime", datetime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            w.WriteString("platform", "synthetic-sentinel-2");
            var epsg = assets.Values.First().Grid.Epsg;
            w.WriteNumber("proj:epsg", epsg);
            w.WriteEndObject();
            w.WriteStartObject("assets");
            foreach (var (name, raster) in assets)
            {
                w.WriteStartObject(name);
                w.WriteString("href", $"../assets/{id}/{name}.tif");
                w.WriteString("type", "image/tiff; application=geotiff; profile=cloud-optimized");
                w.WriteString("title", raster.Description);
                w.WriteNumber("gsd", raster.Grid.Transform.PixelWidth);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteStartArray("links");
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
