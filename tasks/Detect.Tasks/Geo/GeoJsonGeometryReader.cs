using System.Text.Json;
using NetTopologySuite.Geometries;

namespace Detect.Tasks.Geo;

/// <summary>
/// Reads the polygonal part of GeoJSON (WGS84 lon/lat) into NetTopologySuite geometries: a Polygon,
/// MultiPolygon, GeometryCollection, Feature or FeatureCollection. Everything polygonal is united into one
/// (Multi)Polygon; other geometry types are an error naming the source.
/// </summary>
public static class GeoJsonGeometryReader
{
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    public static Geometry ReadFile(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"GeoJSON file '{path}' does not exist.", path);
        return Read(File.ReadAllText(path), path);
    }

    /// <param name="json">GeoJSON text.</param>
    /// <param name="source">Where it came from (a file or key), named in errors.</param>
    public static Geometry Read(string json, string source) => Union([.. ReadPolygons(json, source)]);

    /// <summary>The polygons as written (not united, not repaired), e.g. to check and report their validity.</summary>
    public static IReadOnlyList<Polygon> ReadPolygons(string json, string source)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(json); }
        catch (JsonException e) { throw new FormatException($"'{source}' is not valid JSON: {e.Message}", e); }
        using (document)
        {
            var polygons = new List<Polygon>();
            Collect(document.RootElement, polygons, source);
            if (polygons.Count == 0) throw new FormatException($"'{source}' holds no Polygon or MultiPolygon geometry.");
            return polygons;
        }
    }

    /// <summary>Reads one GeoJSON geometry object (Polygon or MultiPolygon) — e.g. a STAC item's geometry.</summary>
    public static Geometry ReadGeometry(JsonElement geometry, string source)
    {
        var polygons = new List<Polygon>();
        Collect(geometry, polygons, source);
        if (polygons.Count == 0) throw new FormatException($"'{source}' holds no Polygon or MultiPolygon geometry.");
        return Union(polygons);
    }

    private static Geometry Union(List<Polygon> polygons)
    {
        Geometry result = polygons.Count == 1 ? polygons[0] : Factory.CreateMultiPolygon(polygons.ToArray());
        // Adjacent regions (e.g. a province's districts sharing borders) make an invalid MultiPolygon: merge them.
        if (!result.IsValid) result = NetTopologySuite.Geometries.Utilities.GeometryFixer.Fix(result);
        return result;
    }

    private static void Collect(JsonElement element, List<Polygon> polygons, string source)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("type", out var typeElement))
            throw new FormatException($"'{source}' has a GeoJSON object without a \"type\".");
        switch (typeElement.GetString())
        {
            case "FeatureCollection":
                foreach (var feature in Required(element, "features", source).EnumerateArray()) Collect(feature, polygons, source);
                break;
            case "Feature":
                if (element.TryGetProperty("geometry", out var geometry) && geometry.ValueKind == JsonValueKind.Object)
                    Collect(geometry, polygons, source);
                break;
            case "GeometryCollection":
                foreach (var g in Required(element, "geometries", source).EnumerateArray()) Collect(g, polygons, source);
                break;
            case "Polygon":
                polygons.Add(ReadPolygon(Required(element, "coordinates", source), source));
                break;
            case "MultiPolygon":
                foreach (var p in Required(element, "coordinates", source).EnumerateArray()) polygons.Add(ReadPolygon(p, source));
                break;
            case var other:
                throw new FormatException($"'{source}' has a {other} geometry; only Polygon and MultiPolygon areas are supported.");
        }
    }

    private static JsonElement Required(JsonElement element, string name, string source) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value
            : throw new FormatException($"'{source}' has a GeoJSON object without the array \"{name}\".");

    private static Polygon ReadPolygon(JsonElement rings, string source)
    {
        var linearRings = new List<LinearRing>();
        foreach (var ring in rings.EnumerateArray())
        {
            var coordinates = new List<Coordinate>();
            foreach (var position in ring.EnumerateArray())
            {
                if (position.GetArrayLength() < 2) throw new FormatException($"'{source}' has a position with fewer than 2 numbers.");
                coordinates.Add(new Coordinate(position[0].GetDouble(), position[1].GetDouble()));
            }
            if (coordinates.Count > 0 && !coordinates[0].Equals2D(coordinates[^1])) coordinates.Add(coordinates[0].Copy());
            if (coordinates.Count < 4) throw new FormatException($"'{source}' has a polygon ring with fewer than 4 positions.");
            linearRings.Add(Factory.CreateLinearRing(coordinates.ToArray()));
        }
        if (linearRings.Count == 0) throw new FormatException($"'{source}' has a polygon without rings.");
        return Factory.CreatePolygon(linearRings[0], linearRings.Skip(1).ToArray());
    }
}
