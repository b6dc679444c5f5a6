using System.Globalization;
using System.Text.Json;
using Detect.Tasks.Geo;
using NetTopologySuite.Geometries;

namespace Detect.Tasks.Imagery;

/// <summary>Parses and validates one STAC item against the imagery contract.</summary>
public static class StacItemParser
{
    /// <param name="json">The item JSON.</param>
    /// <param name="itemUri">The item's absolute URI (file://… or s3://…), the base for relative hrefs.</param>
    public static StacItem Parse(string json, string itemUri)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(json); }
        catch (JsonException e) { throw new ImageryException($"STAC item {itemUri} is not valid JSON: {e.Message}", e); }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new ImageryException($"STAC item {itemUri} is not a JSON object.");
            var id = root.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String
                ? idElement.GetString()!
                : throw new ImageryException($"STAC item {itemUri} has no \"id\".");
            var name = $"'{id}' ({itemUri})";

            var datetime = ReadDatetime(root, name);
            var footprint = ReadFootprint(root, name);
            var assets = ReadAssets(root, name, itemUri);
            return new StacItem(id, itemUri, datetime, footprint, assets);
        }
    }

    private static DateTimeOffset ReadDatetime(JsonElement root, string name)
    {
        if (!root.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
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
            try { return GeoJsonGeometryReader.ReadGeometry(geometry, $"STAC item {name} geometry"); }
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

    private static Dictionary<string, string> ReadAssets(JsonElement root, string name, string itemUri)
    {
        if (!root.TryGetProperty("assets", out var assets) || assets.ValueKind != JsonValueKind.Object)
            throw new ImageryException($"STAC item {name} has no \"assets\".");
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var required in SentinelBands.RequiredAssets)
        {
            if (!assets.TryGetProperty(required, out var asset))
                throw new ImageryException($"STAC item {name} is missing asset '{required}' (required: {string.Join(", ", SentinelBands.RequiredAssets)}).");
            if (!asset.TryGetProperty("href", out var href) || href.ValueKind != JsonValueKind.String || href.GetString()!.Length == 0)
                throw new ImageryException($"STAC item {name} asset '{required}' has no href.");
            try { result[required] = StacHref.Resolve(itemUri, href.GetString()!); }
            catch (ArgumentException e) { throw new ImageryException($"STAC item {name} asset '{required}': {e.Message}", e); }
        }
        return result;
    }
}
