using System.Globalization;
using System.Text.Json;

namespace Detect.Tasks.Geo.GeoJson;

/// <summary>
/// Checks one GeoJSON geometry object before GeoJSON4STJ parses it, so that every structural problem gets a message
/// that says what is wrong and how to fix it (the library's own messages name neither the place nor the rule):
/// unknown or missing "type", missing "coordinates", positions that are not two or three finite numbers, polygon
/// rings with fewer than 4 positions, and rings that are not closed (RFC 7946 §3.1.6: the last position repeats
/// the first). Unclosed rings are refused, never closed silently: a ring that does not end where it starts may be
/// a truncated file, and guessing would change the area without anyone noticing.
/// </summary>
internal static class GeoJsonGeometryCheck
{
    public static readonly string[] GeometryTypes =
        ["Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection"];

    /// <summary>Throws a <see cref="FormatException"/> (message without the source: the caller prefixes it).</summary>
    public static void Check(JsonElement geometry)
    {
        var type = TypeOf(geometry);
        if (type == "GeometryCollection")
        {
            if (!geometry.TryGetProperty("geometries", out var parts) || parts.ValueKind != JsonValueKind.Array)
                throw new FormatException("a GeometryCollection has no \"geometries\" array.");
            foreach (var part in parts.EnumerateArray()) Check(part);
            return;
        }
        if (!geometry.TryGetProperty("coordinates", out var c) || c.ValueKind != JsonValueKind.Array)
            throw new FormatException($"a {type} has no \"coordinates\" array.");
        switch (type)
        {
            case "Point": Position(c); break;
            case "MultiPoint": foreach (var p in Array(c, type)) Position(p); break;
            case "LineString": Line(c); break;
            case "MultiLineString": foreach (var l in Array(c, type)) Line(l); break;
            case "Polygon": Polygon(c); break;
            case "MultiPolygon": foreach (var p in Array(c, type)) Polygon(p); break;
        }
    }

    private static string TypeOf(JsonElement geometry)
    {
        if (geometry.ValueKind != JsonValueKind.Object || !geometry.TryGetProperty("type", out var t) || t.ValueKind != JsonValueKind.String)
            throw new FormatException("a geometry has no \"type\".");
        var type = t.GetString()!;
        if (!GeometryTypes.Contains(type, StringComparer.Ordinal))
            throw new FormatException($"the geometry type '{type}' is not GeoJSON; use one of {string.Join(", ", GeometryTypes)}.");
        return type;
    }

    private static JsonElement.ArrayEnumerator Array(JsonElement e, string type) =>
        e.ValueKind == JsonValueKind.Array ? e.EnumerateArray() : throw new FormatException($"a {type}'s coordinates are not nested arrays.");

    private static void Line(JsonElement positions)
    {
        var count = 0;
        foreach (var p in Array(positions, "LineString")) { Position(p); count++; }
        if (count < 2) throw new FormatException($"a LineString has {count} position(s); it needs at least 2.");
    }

    private static void Polygon(JsonElement rings)
    {
        var index = 0;
        foreach (var ring in Array(rings, "Polygon"))
        {
            var what = index++ == 0 ? "the exterior ring" : $"hole {index - 1}";
            var (count, first, last) = (0, default(JsonElement), default(JsonElement));
            foreach (var p in Array(ring, "Polygon"))
            {
                Position(p);
                if (count++ == 0) first = p;
                last = p;
            }
            if (count < 4)
                throw new FormatException($"{what} of a polygon has {count} position(s); a ring needs at least 4 positions " +
                                          "(a triangle and its first position repeated at the end).");
            var (start, end) = (XY(first), XY(last));
            if (start != end)
                throw new FormatException($"{what} of a polygon is not closed: it starts at {Text(start)} and ends at {Text(end)}. " +
                                          "A GeoJSON ring ends where it starts (RFC 7946 §3.1.6): repeat the first position at the end of the ring.");
        }
    }

    private static void Position(JsonElement p)
    {
        var count = 0;
        if (p.ValueKind == JsonValueKind.Array)
            foreach (var n in p.EnumerateArray())
            {
                if (n.ValueKind != JsonValueKind.Number || !n.TryGetDouble(out var v) || !double.IsFinite(v)) { count = 0; break; }
                count++;
            }
        if (count < 2)
            throw new FormatException($"the position {Raw(p)} is not [longitude, latitude] (two finite numbers, optionally an altitude).");
    }

    private static (double X, double Y) XY(JsonElement p) => (p[0].GetDouble(), p[1].GetDouble());

    private static string Text((double X, double Y) p) => string.Create(CultureInfo.InvariantCulture, $"[{p.X}, {p.Y}]");

    private static string Raw(JsonElement p)
    {
        var raw = p.GetRawText();
        return raw.Length <= 60 ? raw : raw[..57] + "...";
    }
}
