using System.Globalization;
using System.Text.Json;
using Detect.Tasks.Geo.GeoJson;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Operation.Valid;

namespace Detect.Tasks.Geo;

/// <summary>A region of interest checked for the store: WGS84 lon/lat polygons, invalid rings repaired (with a warning for each).</summary>
public sealed record RoiDocument(Geometry Geometry, IReadOnlyList<string> Warnings)
{
    /// <summary>ROI names: a letter or digit, then letters, digits, '.', '_' or '-' (one key segment of boundaries/).</summary>
    public static bool IsValidName(string name) => Detect.Engine.Parameters.StoreKeyNameAttribute.IsValidName(name);

    /// <summary>
    /// Parses and checks GeoJSON: Polygon/MultiPolygon (in Features, collections) only; a <c>crs</c> member other than
    /// WGS84 and coordinates outside lon [−180, 180] / lat [−90, 90] are errors (<see cref="FormatException"/>); invalid
    /// polygons (self-intersections, bad rings) are repaired with NTS's GeometryFixer (MakeValid) and reported.
    /// </summary>
    public static RoiDocument Parse(string json, string source)
    {
        CheckCrs(json, source);
        var polygons = GeoJsonReader.ReadPolygons(json, source);
        var warnings = new List<string>();
        var factory = polygons[0].Factory;
        var repaired = new List<Geometry>();
        for (var i = 0; i < polygons.Count; i++)
        {
            var p = polygons[i];
            foreach (var c in p.Coordinates)
                if (c.X is < -180 or > 180 || c.Y is < -90 or > 90)
                    throw new FormatException($"'{source}' polygon {i + 1} has the position ({Num(c.X)}, {Num(c.Y)}), outside WGS84 lon/lat: " +
                                              "GeoJSON is [longitude, latitude] in degrees (RFC 7946); reproject it to EPSG:4326 first.");
            var error = new IsValidOp(p).ValidationError;
            if (error is null) { repaired.Add(p); continue; }
            var fixedGeometry = GeometryFixer.Fix(p);
            warnings.Add($"polygon {i + 1} of '{source}' was invalid ({error.Message} at {Num(error.Coordinate.X)}, {Num(error.Coordinate.Y)}); " +
                         $"repaired (MakeValid): area {Num(p.Area)} → {Num(fixedGeometry.Area)} square degrees.");
            repaired.Add(fixedGeometry);
        }
        var union = repaired.Count == 1 ? repaired[0] : factory.BuildGeometry(repaired).Union();
        var envelope = union.EnvelopeInternal;
        if (envelope.MinY < Tiling.RoiTiler.MinLatitude || envelope.MaxY > Tiling.RoiTiler.MaxLatitude)
            throw new FormatException(
                $"'{source}' reaches latitude {Num(envelope.MinY)} … {Num(envelope.MaxY)}: tiles are laid on UTM zones, which cover " +
                $"{Num(Tiling.RoiTiler.MinLatitude)} … {Num(Tiling.RoiTiler.MaxLatitude)} only (80°S to 84°N; the poles need UPS, which Detect does not tile). " +
                "Clip the region to that band.");
        if (!union.IsValid) union = GeometryFixer.Fix(union);
        var polygonal = Polygonal(union, factory);
        if (polygonal.IsEmpty || polygonal.Area == 0) throw new FormatException($"'{source}' encloses no area (after repair).");
        return new RoiDocument(polygonal, warnings);
    }

    /// <summary>The ROI as one GeoJSON Feature in a FeatureCollection, property <c>name</c>.</summary>
    public string ToGeoJson(string name) =>
        GeoJsonWriter.ToJson([new Feature(Geometry, new AttributesTable { { "name", name } })], indented: false);

    private static Geometry Polygonal(Geometry g, GeometryFactory factory)
    {
        var parts = Enumerable.Range(0, g.NumGeometries).Select(g.GetGeometryN).SelectMany(p => p switch
        {
            Polygon poly => [poly],
            MultiPolygon mp => mp.Geometries.Cast<Polygon>(),
            GeometryCollection gc => gc.Geometries.OfType<Polygon>(),
            _ => [],
        }).Where(p => !p.IsEmpty).ToArray();
        return parts.Length == 1 ? parts[0] : factory.CreateMultiPolygon(parts);
    }

    private static void CheckCrs(string json, string source)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("crs", out var crs)) return;
            var name = crs.TryGetProperty("properties", out var p) && p.TryGetProperty("name", out var n) ? n.GetString() ?? "" : crs.GetRawText();
            if (name.Contains("CRS84", StringComparison.OrdinalIgnoreCase) || name.EndsWith("4326", StringComparison.Ordinal)) return;
            throw new FormatException($"'{source}' declares the CRS '{name}': an ROI must be WGS84 lon/lat (EPSG:4326, RFC 7946); reproject it first.");
        }
        catch (JsonException e) { throw new FormatException($"'{source}' is not valid JSON: {e.Message}", e); }
    }

    private static string Num(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);
}
