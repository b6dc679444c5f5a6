using System.Text;
using System.Text.Json;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace Detect.Tasks.Geo.GeoJson;

/// <summary>
/// Writes RFC 7946 GeoJSON through NetTopologySuite.IO.GeoJSON4STJ: FeatureCollections of any geometry type, or one
/// geometry object inside a larger document (a STAC item, a scene record, a search request). Polygon exteriors are
/// written counter-clockwise and holes clockwise whatever the input's winding; coordinates as [lon, lat] with the
/// shortest text that reads back as the same double (optionally rounded to a number of decimals); properties as
/// System.Text.Json writes their values (double round-trip, DateOnly "yyyy-MM-dd", a JsonElement as it is).
/// Members come in the library's order: "type", "geometry", "properties".
/// </summary>
public static class GeoJsonWriter
{
    /// <summary>A FeatureCollection as text.</summary>
    public static string ToJson(IEnumerable<IFeature> features, bool indented = false)
    {
        using var buffer = new MemoryStream();
        Write(buffer, features, indented);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static void Write(Stream stream, IEnumerable<IFeature> features, bool indented = false) =>
        JsonSerializer.Serialize(stream, Collection(features), GeoJsonFormat.For(indented));

    /// <summary>
    /// Starts a FeatureCollection on <paramref name="stream"/> whose features are added one by one
    /// (<see cref="FeatureCollectionWriter.Add"/>): a collection of a million features (a province's patch windows) never needs to
    /// be in memory at once. The text is what <see cref="Write"/> writes for the same features.
    /// </summary>
    public static FeatureCollectionWriter Open(Stream stream) => new(stream);

    /// <summary>A FeatureCollection being written feature by feature; disposing closes it.</summary>
    public sealed class FeatureCollectionWriter : IDisposable
    {
        private readonly Utf8JsonWriter _writer;
        private int _count;

        internal FeatureCollectionWriter(Stream stream)
        {
            _writer = new Utf8JsonWriter(stream);
            _writer.WriteStartObject();
            _writer.WriteString("type", "FeatureCollection");
            _writer.WriteStartArray("features");
        }

        public void Add(IFeature feature)
        {
            var where = $"features[{_count}]";
            if (feature.Geometry is { } g) CheckFinite(g, where);
            JsonSerializer.Serialize(_writer, new Feature(feature.Geometry, Properties(feature.Attributes, where)), GeoJsonFormat.Compact);
            _count++;
            if (_writer.BytesPending > 1 << 20) _writer.Flush();
        }

        public void Dispose()
        {
            _writer.WriteEndArray();
            _writer.WriteEndObject();
            _writer.Dispose();
        }
    }

    /// <summary>Writes the collection to <paramref name="path"/> through a temporary file beside it, so readers never see half a file.</summary>
    public static void WriteFile(string path, IEnumerable<IFeature> features, bool indented = false)
    {
        var collection = Collection(features); // checked before anything is written
        var tmp = path + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            using (var file = File.Create(tmp)) JsonSerializer.Serialize(file, collection, GeoJsonFormat.For(indented));
            File.Move(tmp, path, overwrite: true);
        }
        finally { File.Delete(tmp); }
    }

    /// <summary>One geometry object (e.g. a STAC item's "geometry"). <paramref name="decimals"/> rounds the coordinates
    /// with <see cref="Math.Round(double, int)"/> (midpoints to even), as the footprint writer this one replaced did:
    /// scene footprints use 7 decimals (about 1 cm).</summary>
    public static void WriteGeometry(Utf8JsonWriter writer, Geometry geometry, int? decimals = null)
    {
        var g = decimals is { } d ? Rounded(geometry, d) : geometry;
        CheckFinite(g, "the geometry");
        JsonSerializer.Serialize(writer, g, GeoJsonFormat.Compact);
    }

    /// <summary><see cref="WriteGeometry"/> as text.</summary>
    public static string GeometryToJson(Geometry geometry, int? decimals = null)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer)) WriteGeometry(writer, geometry, decimals);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static FeatureCollection Collection(IEnumerable<IFeature> features)
    {
        var collection = new FeatureCollection();
        foreach (var f in features)
        {
            var where = $"features[{collection.Count}]";
            if (f.Geometry is { } g) CheckFinite(g, where);
            collection.Add(new Feature(f.Geometry, Properties(f.Attributes, where)));
        }
        return collection;
    }

    /// <summary>
    /// Properties read from a file are passed on as their JSON (text unchanged: GeoJSON4STJ would otherwise box each
    /// number as a decimal and fail on one beyond decimal's range, e.g. 1e300); NaN and Infinity are refused by name.
    /// </summary>
    private static AttributesTable Properties(IAttributesTable? attributes, string where)
    {
        var table = new AttributesTable();
        if (attributes is JsonElementAttributesTable json)
        {
            foreach (var p in json.RootElement.EnumerateObject()) table.Add(p.Name, p.Value.Clone());
            return table;
        }
        if (attributes is null) return table;
        foreach (var name in attributes.GetNames())
        {
            var value = attributes[name];
            if (value is double d && !double.IsFinite(d) || value is float f && !float.IsFinite(f))
                throw new ArgumentException($"GeoJSON property '{name}' of {where} is {value}; JSON has no NaN or Infinity.");
            table.Add(name, value);
        }
        return table;
    }

    private static void CheckFinite(Geometry geometry, string where)
    {
        foreach (var c in geometry.Coordinates)
            if (!double.IsFinite(c.X) || !double.IsFinite(c.Y))
                throw new ArgumentException($"GeoJSON {where} has the position ({c.X}, {c.Y}); JSON has no NaN or Infinity.");
    }

    private static Geometry Rounded(Geometry geometry, int decimals)
    {
        var copy = geometry.Copy();
        copy.Apply(new RoundFilter(decimals));
        copy.GeometryChanged();
        return copy;
    }

    private sealed class RoundFilter(int decimals) : IEntireCoordinateSequenceFilter
    {
        public bool Done => false;
        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq)
        {
            for (var i = 0; i < seq.Count; i++)
            {
                seq.SetX(i, Math.Round(seq.GetX(i), decimals));
                seq.SetY(i, Math.Round(seq.GetY(i), decimals));
            }
        }
    }
}
