using System.Text.Json;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;

namespace Detect.Tasks.Geo.GeoJson;

/// <summary>
/// Reads GeoJSON (RFC 7946, WGS84 lon/lat) through NetTopologySuite.IO.GeoJSON4STJ: features with their properties
/// (<see cref="ReadFeatures(string, string)"/>, or lazily from a stream; read the properties with <see cref="FeatureProperties"/>), or the polygonal area a
/// document describes (<see cref="ReadArea(string, string)"/>: ROIs, STAC item and scene footprints).
/// </summary>
/// <remarks>
/// Ring orientation is kept as written: RFC 7946 asks parsers not to reject rings by winding, and no NTS operation
/// used here depends on it (the writer re-orients on output). Rings must be closed and hold at least 4 positions,
/// positions must be finite numbers: anything else is a <see cref="FormatException"/> naming the source, the feature
/// (<c>features[i]</c>, 0-based as in a JSON path) and the fix; invalid JSON is one too.
/// </remarks>
public static class GeoJsonReader
{
    /// <summary>The features of a FeatureCollection, a single Feature, or a bare geometry (one feature, no properties).
    /// A feature's <see cref="IFeature.Attributes"/> is never null; its geometry is null where the file has <c>null</c>.</summary>
    /// <param name="source">Where the text came from (a file, key or URI), named in errors.</param>
    public static IReadOnlyList<IFeature> ReadFeatures(string json, string source) =>
        ReadDocument(json, source).Select(f => f.Feature).ToList();

    /// <summary><see cref="ReadFeatures(string, string)"/> of a local file.</summary>
    public static IReadOnlyList<IFeature> ReadFeaturesFile(string path) => ReadFeatures(ReadText(path), path);

    /// <summary>
    /// <see cref="ReadFeatures(string, string)"/> from a stream, lazily: a FeatureCollection's features are parsed one at
    /// a time as they are enumerated, so a collection larger than memory can be filtered. The same documents are accepted
    /// and refused, with the same messages; an error in a later feature is thrown when enumeration reaches it.
    /// </summary>
    public static IEnumerable<IFeature> ReadFeatures(Stream stream, string source) => FeatureStreamReader.Read(stream, source);

    /// <summary>
    /// The area: every Polygon and MultiPolygon (in Features, FeatureCollections, GeometryCollections) united into one
    /// valid (Multi)Polygon — adjacent regions such as a province's districts merge along their shared borders.
    /// Features without a geometry are skipped; other geometry types are an error; so is a document without polygons.
    /// </summary>
    public static Geometry ReadArea(string json, string source) => Union(ReadPolygons(json, source));

    /// <summary><see cref="ReadArea(string, string)"/> of a local file.</summary>
    public static Geometry ReadAreaFile(string path) => ReadArea(ReadText(path), path);

    /// <summary>The area of one geometry object already parsed (a STAC item's or scene record's "geometry").</summary>
    public static Geometry ReadArea(JsonElement geometry, string source)
    {
        var polygons = new List<Polygon>();
        CollectPolygons(ReadGeometry(geometry, source, "geometry"), polygons, source, "geometry");
        return Union(NonEmpty(polygons, source));
    }

    /// <summary>The polygons as written (not united, not repaired; altitudes dropped), e.g. to check and report their validity.</summary>
    public static IReadOnlyList<Polygon> ReadPolygons(string json, string source)
    {
        var polygons = new List<Polygon>();
        foreach (var (feature, where) in ReadDocument(json, source))
            if (feature.Geometry is { } geometry) CollectPolygons(geometry, polygons, source, where);
        return NonEmpty(polygons, source);
    }

    /// <summary>The features, each with where it is in the document ("features[3]", "the Feature", "the geometry").</summary>
    private static List<(IFeature Feature, string Where)> ReadDocument(string json, string source)
    {
        using var document = Parse(json, source);
        var root = document.RootElement;
        switch (TypeOf(root, source))
        {
            case "FeatureCollection":
                if (!root.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
                    throw new FormatException($"'{source}' is a FeatureCollection without the array \"features\" (write \"features\": [] for none).");
                // A feature at a time from the parsed document: as fast as the library's reader on the whole text
                // (the library's parsing is most of the time), and an error names the feature.
                var list = new List<(IFeature, string)>(features.GetArrayLength());
                foreach (var feature in features.EnumerateArray())
                {
                    var where = $"features[{list.Count}]";
                    list.Add((ReadFeature(feature, source, where), where));
                }
                return list;
            case "Feature":
                return [(ReadFeature(root, source, "the Feature"), "the Feature")];
            default:
                return [(new Feature(ReadGeometry(root, source, "the geometry"), new AttributesTable()), "the geometry")];
        }
    }

    internal static IFeature ReadFeature(JsonElement element, string source, string where)
    {
        CheckFeature(element, source, where);
        var feature = Deserialize<IFeature>(element, source, where);
        feature.Attributes ??= new AttributesTable();
        return feature;
    }

    private static void CheckFeature(JsonElement element, string source, string where)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "Feature")
            throw new FormatException($"'{source}' {where} is not a Feature (an object with \"type\": \"Feature\").");
        if (element.TryGetProperty("geometry", out var g) && g.ValueKind != JsonValueKind.Null) Check(g, source, where);
        if (element.TryGetProperty("properties", out var p) && p.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
            throw new FormatException($"'{source}' {where} has \"properties\" that are not an object (use {{}} or null).");
    }

    private static Geometry ReadGeometry(JsonElement element, string source, string where)
    {
        Check(element, source, where);
        return Deserialize<Geometry>(element, source, where);
    }

    private static void Check(JsonElement geometry, string source, string where)
    {
        try { GeoJsonGeometryCheck.Check(geometry); }
        catch (FormatException e) { throw new FormatException($"'{source}' {where}: {e.Message}", e); }
    }

    private static T Deserialize<T>(JsonElement element, string source, string where) where T : class
    {
        // The structure was checked above: what the library still refuses is reported with its own words.
        try { return element.Deserialize<T>(GeoJsonFormat.Compact) ?? throw new JsonException("null"); }
        catch (Exception e) when (IsLibraryRefusal(e))
        {
            throw new FormatException($"'{source}' {where} is not valid GeoJSON: {e.Message}", e);
        }
    }

    private static bool IsLibraryRefusal(Exception e) =>
        e is JsonException or ArgumentException or InvalidOperationException or NotSupportedException or FormatException;

    private static void CollectPolygons(Geometry geometry, List<Polygon> polygons, string source, string where)
    {
        switch (geometry)
        {
            case Polygon p: polygons.Add(Flat(p)); break;
            case MultiPolygon mp: foreach (var p in mp.Geometries.Cast<Polygon>()) polygons.Add(Flat(p)); break;
            case GeometryCollection gc when gc is not MultiPoint and not MultiLineString:
                foreach (var part in gc.Geometries) CollectPolygons(part, polygons, source, where);
                break;
            default:
                throw new FormatException($"'{source}' {where} is a {geometry.GeometryType}; only Polygon and MultiPolygon areas are supported.");
        }
    }

    /// <summary>Areas are 2-D: an altitude in the file is dropped (as GDAL does when it clips to a polygon).</summary>
    private static Polygon Flat(Polygon p)
    {
        if (p.IsEmpty) return p;
        if (p.Coordinates.All(c => double.IsNaN(c.Z))) return p;
        LinearRing Ring(LineString r) => GeoJsonFormat.Factory.CreateLinearRing(r.Coordinates.Select(c => new Coordinate(c.X, c.Y)).ToArray());
        return GeoJsonFormat.Factory.CreatePolygon(Ring(p.ExteriorRing), p.InteriorRings.Select(Ring).ToArray());
    }

    private static List<Polygon> NonEmpty(List<Polygon> polygons, string source)
    {
        polygons.RemoveAll(p => p.IsEmpty);
        return polygons.Count > 0 ? polygons : throw new FormatException($"'{source}' holds no Polygon or MultiPolygon geometry.");
    }

    private static Geometry Union(IReadOnlyList<Polygon> polygons)
    {
        Geometry result = polygons.Count == 1 ? polygons[0] : GeoJsonFormat.Factory.CreateMultiPolygon(polygons.ToArray());
        // Adjacent regions (e.g. a province's districts sharing borders) make an invalid MultiPolygon: merge them.
        if (!result.IsValid) result = GeometryFixer.Fix(result);
        return result;
    }

    private static JsonDocument Parse(string json, string source)
    {
        try { return JsonDocument.Parse(json); }
        catch (JsonException e) { throw new FormatException($"'{source}' is not valid JSON: {e.Message}", e); }
    }

    private static string TypeOf(JsonElement root, string source) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
            ? t.GetString()!
            : throw new FormatException($"'{source}' is not GeoJSON: its top level has no \"type\" (FeatureCollection, Feature or a geometry).");

    private static string ReadText(string path) =>
        File.Exists(path) ? File.ReadAllText(path) : throw new FileNotFoundException($"The GeoJSON file '{path}' does not exist.", path);
}
