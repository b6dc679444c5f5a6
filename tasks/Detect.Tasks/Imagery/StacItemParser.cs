using System.Globalization;
using System.Text.Json;
using Detect.Tasks.Geo.GeoJson;
using NetTopologySuite.Geometries;

namespace Detect.Tasks.Imagery;

/// <summary>
/// Parses and validates one STAC item, from the store's static catalog or a STAC API (Earth Search, CDSE,
/// Planetary Computer shapes). Band assets are found under Earth Search keys (<c>coastal</c> … <c>swir22</c>)
/// or ESA keys (<c>B01</c> … <c>B12</c>, <c>B8A</c>) and stored under the Earth Search names.
/// </summary>
public static class StacItemParser
{
    /// <param name="json">The item JSON.</param>
    /// <param name="itemUri">The item's absolute URI (file://…, s3://…, https://…), the base for relative hrefs.</param>
    /// <param name="requiredAssets">Assets (our names) the item must have; default: the 12 bands and <c>cloud</c>.</param>
    public static StacItem Parse(string json, string itemUri, IReadOnlyList<string>? requiredAssets = null)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(json); }
        catch (JsonException e) { throw new ImageryException($"STAC item {itemUri} is not valid JSON: {e.Message}", e); }
        using (document) return Parse(document.RootElement, itemUri, requiredAssets);
    }

    public static StacItem Parse(JsonElement root, string itemUri, IReadOnlyList<string>? requiredAssets = null)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new ImageryException($"STAC item {itemUri} is not a JSON object.");
        var id = root.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String
            ? idElement.GetString()!
            : throw new ImageryException($"STAC item {itemUri} has no \"id\".");
        var name = $"'{id}' ({itemUri})";

        var properties = root.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        var datetime = ReadDatetime(properties, name);
        var footprint = ReadFootprint(root, name);
        var assets = ReadAssets(root, name, itemUri, requiredAssets ?? SentinelBands.RequiredAssets);
        return new StacItem(id, itemUri, datetime, footprint, assets)
        {
            Collection = String(root, "collection"),
            GridCode = GridCode(properties),
            CloudCover = Number(properties, "eo:cloud_cover"),
            Baseline = ProcessingBaseline.Normalize(String(properties, "s2:processing_baseline") ?? String(properties, "processing:version"))
                       ?? BaselineFromProductUri(String(properties, "s2:product_uri") ?? id),
            RasterOffsetDn = RasterOffset(root),
            DerivedFrom = DerivedFrom(root),
            StorageRegion = String(properties, "storage:region"),
            RequesterPays = properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty("storage:requester_pays", out var rp)
                            && rp.ValueKind is JsonValueKind.True or JsonValueKind.False ? rp.GetBoolean() : null,
        };
    }

    private static DateTimeOffset ReadDatetime(JsonElement properties, string name)
    {
        if (properties.ValueKind != JsonValueKind.Object)
            throw new ImageryException($"STAC item {name} has no \"properties\" (and so no datetime).");
        if (!properties.TryGetProperty("datetime", out var dt) || dt.ValueKind != JsonValueKind.String)
            throw new ImageryException($"STAC item {name} has no properties.datetime: every scene needs its acquisition time.");
        var text = dt.GetString()!;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
            throw new ImageryException($"STAC item {name} has properties.datetime '{text}', which is not an RFC 3339 date-time.");
        return value;
    }

    private static Geometry ReadFootprint(JsonElement root, string name)
    {
        if (root.TryGetProperty("geometry", out var geometry) && geometry.ValueKind == JsonValueKind.Object)
        {
            try { return GeoJsonReader.ReadArea(geometry, $"STAC item {name}"); }
            catch (FormatException e) { throw new ImageryException(e.Message, e); }
        }
        if (root.TryGetProperty("bbox", out var bbox) && bbox.ValueKind == JsonValueKind.Array && bbox.GetArrayLength() >= 4)
        {
            var b = bbox.EnumerateArray().Select(e => e.GetDouble()).ToArray();
            var (minX, minY, maxX, maxY) = b.Length >= 6 ? (b[0], b[1], b[3], b[4]) : (b[0], b[1], b[2], b[3]);
            return new GeometryFactory(new PrecisionModel(), 4326).ToGeometry(new Envelope(minX, maxX, minY, maxY));
        }
        throw new ImageryException($"STAC item {name} has neither a geometry nor a bbox.");
    }

    private static Dictionary<string, string> ReadAssets(JsonElement root, string name, string itemUri, IReadOnlyList<string> required)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!root.TryGetProperty("assets", out var assets) || assets.ValueKind != JsonValueKind.Object)
        {
            // A search with the fields extension may leave assets out; only an item we must read needs them.
            if (required.Count == 0) return result;
            throw new ImageryException($"STAC item {name} has no \"assets\".");
        }
        foreach (var asset in assets.EnumerateObject())
        {
            var ours = OurName(asset.Name);
            if (ours is null || result.ContainsKey(ours) && ours != asset.Name) continue; // first of SCL_20m / SCL_60m wins
            if (!asset.Value.TryGetProperty("href", out var href) || href.ValueKind != JsonValueKind.String || href.GetString()!.Length == 0)
            {
                if (required.Contains(ours)) throw new ImageryException($"STAC item {name} asset '{asset.Name}' has no href.");
                continue;
            }
            try { result[ours] = StacHref.Resolve(itemUri, href.GetString()!); }
            catch (ArgumentException e) { throw new ImageryException($"STAC item {name} asset '{asset.Name}': {e.Message}", e); }
        }
        foreach (var asset in required)
            if (!result.ContainsKey(asset))
                throw new ImageryException($"STAC item {name} is missing asset '{asset}' (required: {string.Join(", ", required)}; " +
                                           "band assets may be named as Earth Search (coastal … swir22) or CDSE (B01 … B12, B8A) name them).");
        return result;
    }

    /// <summary>Our name for an asset key, or null for assets we do not read.</summary>
    private static string? OurName(string key) =>
        SentinelBands.ByKey(key)?.Asset
        ?? (key == SentinelBands.CloudAsset ? key : SentinelBands.SclKeys.Contains(key) ? SentinelBands.SclAsset : null);

    private static string? GridCode(JsonElement properties)
    {
        if (String(properties, "grid:code") is { } code) return code.StartsWith("MGRS-", StringComparison.OrdinalIgnoreCase) ? code[5..] : code;
        if (String(properties, "s2:mgrs_tile") is { } tile) return tile;
        if (Number(properties, "mgrs:utm_zone") is { } zone && String(properties, "mgrs:latitude_band") is { } band
            && String(properties, "mgrs:grid_square") is { } square)
            return $"{(int)zone:00}{band}{square}";
        return null;
    }

    /// <summary>"S2A_MSIL1C_20240116T000741_N0510_R130_…" → "05.10".</summary>
    private static string? BaselineFromProductUri(string text)
    {
        foreach (var part in text.Split('_'))
            if (part.Length == 5 && part[0] == 'N' && part[1..].All(char.IsAsciiDigit)) return ProcessingBaseline.Normalize(part);
        return null;
    }

    /// <summary>−offset/scale of the first band asset with raster metadata (STAC 1.0 raster:bands or STAC 1.1 raster:offset).</summary>
    private static int? RasterOffset(JsonElement root)
    {
        if (!root.TryGetProperty("assets", out var assets) || assets.ValueKind != JsonValueKind.Object) return null;
        foreach (var asset in assets.EnumerateObject())
        {
            if (SentinelBands.ByKey(asset.Name) is null) continue;
            var holder = asset.Value.TryGetProperty("raster:bands", out var bands) && bands.ValueKind == JsonValueKind.Array && bands.GetArrayLength() > 0
                ? bands[0] : asset.Value;
            var offset = Number(holder, "offset") ?? Number(holder, "raster:offset");
            var scale = Number(holder, "scale") ?? Number(holder, "raster:scale");
            if (offset is { } o && scale is { } s && s != 0) return (int)Math.Round(-o / s);
        }
        return null;
    }

    private static string? DerivedFrom(JsonElement root)
    {
        if (!root.TryGetProperty("links", out var links) || links.ValueKind != JsonValueKind.Array) return null;
        foreach (var link in links.EnumerateArray())
            if (String(link, "rel") == "derived_from" && String(link, "href") is { } href)
                return href.TrimEnd('/').Split('/')[^1].Replace(".json", "", StringComparison.Ordinal);
        return null;
    }

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString() : null;

    private static double? Number(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number
            ? v.GetDouble() : null;
}
