using System.Text.Json;
using NetTopologySuite.Geometries;

namespace Detect.Tasks.Analysis.GeoJson;

/// <summary>Reads GeoJSON FeatureCollections (also a bare Feature or geometry) into NTS geometries and property maps.
/// Strings, booleans and null map to themselves, integral numbers to <c>long</c>, other numbers to <c>double</c>,
/// objects and arrays to <c>JsonElement</c>.</summary>
public static class GeoJsonReader
{
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    public static List<GeoJsonFeature> ReadFile(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"GeoJSON file not found: {path}", path);
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            return Read(doc.RootElement);
        }
        catch (FormatException e) { throw new FormatException($"{path}: {e.Message}", e); }
        catch (JsonException e) { throw new FormatException($"{path} is not valid JSON: {e.Message}", e); }
    }

    public static List<GeoJsonFeature> Read(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return Read(doc.RootElement);
    }

    private static List<GeoJsonFeature> Read(JsonElement root)
    {
        string type = TypeOf(root, "GeoJSON root");
        return type switch
        {
            "FeatureCollection" => root.TryGetProperty("features", out var fs) && fs.ValueKind == JsonValueKind.Array
                ? fs.EnumerateArray().Select((f, i) => ReadFeature(f, $"features[{i}]")).ToList()
                : throw new FormatException("FeatureCollection has no \"features\" array."),
            "Feature" => [ReadFeature(root, "Feature")],
            _ => [new GeoJsonFeature(ReadGeometry(root, "geometry"))],
        };
    }

    private static string TypeOf(JsonElement e, string where) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
            ? t.GetString()! : throw new FormatException($"{where} has no \"type\" member.");

    private static GeoJsonFeature ReadFeature(JsonElement f, string where)
    {
        if (TypeOf(f, where) != "Feature") throw new FormatException($"{where} is not a Feature.");
        var props = new Dictionary<string, object?>();
        if (f.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object)
            foreach (var prop in p.EnumerateObject()) props[prop.Name] = Value(prop.Value);
        var geometry = f.TryGetProperty("geometry", out var g) && g.ValueKind != JsonValueKind.Null
            ? ReadGeometry(g, where + ".geometry")
            : Factory.CreateGeometryCollection();
        return new GeoJsonFeature(geometry, props);
    }

    private static object? Value(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => v.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => v.TryGetInt64(out long l) ? l : v.GetDouble(),
        _ => v.Clone(),
    };

    private static Geometry ReadGeometry(JsonElement g, string where)
    {
        string type = TypeOf(g, where);
        if (type == "GeometryCollection")
            return Factory.CreateGeometryCollection(g.GetProperty("geometries").EnumerateArray()
                .Select((x, i) => ReadGeometry(x, $"{where}.geometries[{i}]")).ToArray());
        if (!g.TryGetProperty("coordinates", out var c)) throw new FormatException($"{where} ({type}) has no coordinates.");
        return type switch
        {
            "Point" => Factory.CreatePoint(Position(c, where)),
            "MultiPoint" => Factory.CreateMultiPointFromCoords(Positions(c, where)),
            "LineString" => Factory.CreateLineString(Positions(c, where)),
            "MultiLineString" => Factory.CreateMultiLineString(c.EnumerateArray().Select(l => Factory.CreateLineString(Positions(l, where))).ToArray()),
            "Polygon" => Polygon(c, where),
            "MultiPolygon" => Factory.CreateMultiPolygon(c.EnumerateArray().Select(p => Polygon(p, where)).ToArray()),
            _ => throw new FormatException($"{where} has unsupported geometry type '{type}'."),
        };
    }

    private static Polygon Polygon(JsonElement rings, string where)
    {
        var list = rings.EnumerateArray().Select(r =>
        {
            var positions = Positions(r, where);
            if (positions.Length < 4) throw new FormatException($"{where} has a polygon ring of {positions.Length} positions; a ring needs at least 4.");
            return Factory.CreateLinearRing(positions);
        }).ToArray();
        return list.Length == 0 ? Factory.CreatePolygon() : Factory.CreatePolygon(list[0], list[1..]);
    }

    private static Coordinate[] Positions(JsonElement arr, string where)
    {
        var coords = new Coordinate[arr.GetArrayLength()];
        int i = 0;
        foreach (var p in arr.EnumerateArray()) coords[i++] = Position(p, where);
        return coords;
    }

    private static Coordinate Position(JsonElement p, string where)
    {
        if (p.ValueKind == JsonValueKind.Array)
        {
            var e = p.EnumerateArray();
            if (e.MoveNext() && e.Current.ValueKind == JsonValueKind.Number)
            {
                double x = e.Current.GetDouble();
                if (e.MoveNext() && e.Current.ValueKind == JsonValueKind.Number) return new Coordinate(x, e.Current.GetDouble());
            }
        }
        throw new FormatException($"{where} has a position that is not [lon, lat].");
    }
}
