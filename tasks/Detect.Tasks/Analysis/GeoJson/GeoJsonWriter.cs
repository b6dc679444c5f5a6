using System.Text.Json;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;

namespace Detect.Tasks.Analysis.GeoJson;

/// <summary>
/// Writes RFC 7946 FeatureCollections (Point, MultiPoint, LineString, Polygon, MultiPolygon): coordinates as
/// [lon, lat], polygon exteriors counter-clockwise and holes clockwise (right-hand rule), numbers round-trippable.
/// </summary>
public static class GeoJsonWriter
{
    public static void Write(Stream stream, IEnumerable<GeoJsonFeature> features, bool indented = false)
    {
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented });
        w.WriteStartObject();
        w.WriteString("type", "FeatureCollection");
        w.WriteStartArray("features");
        foreach (var f in features) WriteFeature(w, f);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static string ToJson(IEnumerable<GeoJsonFeature> features, bool indented = false)
    {
        using var ms = new MemoryStream();
        Write(ms, features, indented);
        return System.Text.Encoding.UTF8.GetString(ms.ToArray());
    }

    /// <summary>Writes the collection to <paramref name="path"/> (through a temporary file, so readers never see half a file).</summary>
    public static void WriteFile(string path, IEnumerable<GeoJsonFeature> features, bool indented = false)
    {
        string tmp = path + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            using (var fs = File.Create(tmp)) Write(fs, features, indented);
            File.Move(tmp, path, overwrite: true);
        }
        finally { if (File.Exists(tmp)) File.Delete(tmp); }
    }

    private static void WriteFeature(Utf8JsonWriter w, GeoJsonFeature f)
    {
        w.WriteStartObject();
        w.WriteString("type", "Feature");
        w.WritePropertyName("properties");
        w.WriteStartObject();
        foreach (var (name, value) in f.Properties) { w.WritePropertyName(name); WriteValue(w, value, name); }
        w.WriteEndObject();
        w.WritePropertyName("geometry");
        WriteGeometry(w, f.Geometry);
        w.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter w, object? value, string name)
    {
        switch (value)
        {
            case null: w.WriteNullValue(); break;
            case string s: w.WriteStringValue(s); break;
            case bool b: w.WriteBooleanValue(b); break;
            case double d: WriteNumber(w, d, name); break;
            case float fl: WriteNumber(w, fl, name); break;
            case int i: w.WriteNumberValue(i); break;
            case long l: w.WriteNumberValue(l); break;
            case decimal m: w.WriteNumberValue(m); break;
            case DateOnly date: w.WriteStringValue(date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)); break;
            case JsonElement e: e.WriteTo(w); break;
            default: throw new ArgumentException($"GeoJSON property '{name}' has unsupported type {value.GetType().Name}; use string, bool, a number, DateOnly or null.");
        }
    }

    private static void WriteNumber(Utf8JsonWriter w, double d, string what)
    {
        if (!double.IsFinite(d)) throw new ArgumentException($"GeoJSON value '{what}' is {d}; JSON has no NaN/Infinity.");
        w.WriteNumberValue(d);
    }

    private static void WriteGeometry(Utf8JsonWriter w, Geometry? g)
    {
        if (g is null) { w.WriteNullValue(); return; }
        w.WriteStartObject();
        switch (g)
        {
            case Point p:
                w.WriteString("type", "Point");
                w.WritePropertyName("coordinates"); WritePosition(w, p.Coordinate);
                break;
            case MultiPoint mp:
                w.WriteString("type", "MultiPoint");
                w.WritePropertyName("coordinates"); WritePositions(w, mp.Coordinates);
                break;
            case LineString ls:
                w.WriteString("type", "LineString");
                w.WritePropertyName("coordinates"); WritePositions(w, ls.Coordinates);
                break;
            case Polygon poly:
                w.WriteString("type", "Polygon");
                w.WritePropertyName("coordinates"); WritePolygon(w, poly);
                break;
            case MultiPolygon mpoly:
                w.WriteString("type", "MultiPolygon");
                w.WritePropertyName("coordinates");
                w.WriteStartArray();
                foreach (var part in mpoly.Geometries) WritePolygon(w, (Polygon)part);
                w.WriteEndArray();
                break;
            default:
                throw new ArgumentException($"GeoJSON writer does not support {g.GeometryType}; use Point, MultiPoint, LineString, Polygon or MultiPolygon.");
        }
        w.WriteEndObject();
    }

    private static void WritePolygon(Utf8JsonWriter w, Polygon poly)
    {
        w.WriteStartArray();
        if (!poly.IsEmpty)
        {
            WritePositions(w, Oriented(poly.Shell.Coordinates, counterClockwise: true));
            foreach (var hole in poly.Holes) WritePositions(w, Oriented(hole.Coordinates, counterClockwise: false));
        }
        w.WriteEndArray();
    }

    private static Coordinate[] Oriented(Coordinate[] ring, bool counterClockwise)
    {
        if (ring.Length < 4 || Orientation.IsCCW(ring) == counterClockwise) return ring;
        var reversed = (Coordinate[])ring.Clone();
        Array.Reverse(reversed);
        return reversed;
    }

    private static void WritePositions(Utf8JsonWriter w, Coordinate[] coords)
    {
        w.WriteStartArray();
        foreach (var c in coords) WritePosition(w, c);
        w.WriteEndArray();
    }

    private static void WritePosition(Utf8JsonWriter w, Coordinate c)
    {
        w.WriteStartArray();
        WriteNumber(w, c.X, "longitude");
        WriteNumber(w, c.Y, "latitude");
        w.WriteEndArray();
    }
}
