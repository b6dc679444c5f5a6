using System.Text;
using System.Text.Json;
using NetTopologySuite.Geometries;

namespace Detect.Tasks.Geo;

/// <summary>Writes one GeoJSON geometry object (Polygon or MultiPolygon; anything else as its envelope).</summary>
public static class GeoJsonGeometryWriter
{
    /// <summary>A Polygon or MultiPolygon as GeoJSON (lon/lat, 7 decimals ≈ 1 cm).</summary>
    public static void Write(Utf8JsonWriter w, Geometry geometry)
    {
        w.WriteStartObject();
        switch (geometry)
        {
            case Polygon p:
                w.WriteString("type", "Polygon");
                w.WritePropertyName("coordinates");
                WritePolygon(w, p);
                break;
            case MultiPolygon m:
                w.WriteString("type", "MultiPolygon");
                w.WriteStartArray("coordinates");
                foreach (var p in m.Geometries.Cast<Polygon>()) WritePolygon(w, p);
                w.WriteEndArray();
                break;
            default:
                w.WriteString("type", "Polygon");
                w.WritePropertyName("coordinates");
                WritePolygon(w, (Polygon)geometry.Envelope);
                break;
        }
        w.WriteEndObject();
    }

    private static void WritePolygon(Utf8JsonWriter w, Polygon p)
    {
        w.WriteStartArray();
        foreach (var ring in new[] { p.ExteriorRing }.Concat(p.InteriorRings))
        {
            w.WriteStartArray();
            foreach (var c in ring.Coordinates)
            {
                w.WriteStartArray();
                w.WriteNumberValue(Math.Round(c.X, 7));
                w.WriteNumberValue(Math.Round(c.Y, 7));
                w.WriteEndArray();
            }
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }

    /// <summary>The geometry as GeoJSON text.</summary>
    public static string ToJson(Geometry geometry)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer)) Write(w, geometry);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
