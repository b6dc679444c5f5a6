using System.Globalization;
using System.Text;
using System.Text.Json;
using Detect.Engine.Parameters;
using Detect.Tasks.Geo.GeoJson;
using NetTopologySuite.Geometries;

namespace Detect.Tasks.Imagery;

/// <summary>
/// The JSON form of a <see cref="SceneRecord"/> (<c>runs/&lt;run_id&gt;/scenes/&lt;tile&gt;.json</c>): one object with
/// the imagery it came from, the date range, when it was searched, the bucket access table, the skipped scenes
/// and the scenes (id, datetime, cloud cover, baseline, offset, geometry, band hrefs, mask).
/// </summary>
public static class SceneRecordJson
{
    public const int Version = 1;

    public static string Write(SceneRecord record)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("version", Version);
            w.WriteString("imagery", record.Imagery);
            w.WriteString("start_date", record.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            w.WriteString("end_date", record.End.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            w.WriteString("searched_at", Time(record.SearchedAt));
            w.WriteNumber("scene_count", record.Scenes.Count);
            w.WriteNumber("skipped_count", record.Skipped.Count);
            w.WriteStartObject("buckets");
            foreach (var (bucket, access) in record.Buckets.OrderBy(b => b.Key, StringComparer.Ordinal))
            {
                w.WriteStartObject(bucket);
                w.WriteString("region", access.Region);
                w.WriteBoolean("requester_pays", access.RequesterPays);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteStartArray("skipped");
            foreach (var s in record.Skipped)
            {
                w.WriteStartObject();
                w.WriteString("id", s.Id);
                w.WriteString("datetime", Time(s.Datetime));
                w.WriteString("reason", s.Reason);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("scenes");
            foreach (var scene in record.Scenes) WriteScene(w, scene);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteScene(Utf8JsonWriter w, RecordedScene s)
    {
        w.WriteStartObject();
        w.WriteString("id", s.Id);
        if (s.Collection is not null) w.WriteString("collection", s.Collection);
        w.WriteString("datetime", Time(s.Datetime));
        if (s.GridCode is not null) w.WriteString("grid_code", s.GridCode);
        if (s.CloudCover is { } cc) w.WriteNumber("cloud_cover", cc); else w.WriteNull("cloud_cover");
        if (s.Baseline is not null) w.WriteString("baseline", s.Baseline); else w.WriteNull("baseline");
        w.WriteNumber("offset", s.Offset);
        w.WriteStartObject("mask");
        w.WriteString("source", ParameterParsing.ToKebab(s.Mask.Source.ToString()));
        if (s.Mask.Item is not null) w.WriteString("item", s.Mask.Item);
        if (s.Mask.Href is not null) w.WriteString("href", s.Mask.Href);
        w.WriteEndObject();
        w.WriteStartObject("assets");
        foreach (var band in SentinelBands.All)
            if (s.Bands.TryGetValue(band.Asset, out var href)) w.WriteString(band.Asset, href);
        w.WriteEndObject();
        w.WritePropertyName("geometry");
        GeoJsonWriter.WriteGeometry(w, s.Footprint, decimals: 7);
        w.WriteEndObject();
    }

    public static SceneRecord Read(string json, string source)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.GetProperty("version").GetInt32() != Version)
                throw new ImageryException($"Scene record {source} has version {root.GetProperty("version")}, this program reads version {Version}: delete it to search again.");
            var buckets = root.GetProperty("buckets").EnumerateObject().ToDictionary(
                b => b.Name, b => new BucketAccess(b.Value.GetProperty("region").GetString()!, b.Value.GetProperty("requester_pays").GetBoolean()),
                StringComparer.Ordinal);
            var skipped = root.GetProperty("skipped").EnumerateArray()
                .Select(s => new SkippedScene(s.GetProperty("id").GetString()!, ParseTime(s.GetProperty("datetime")), s.GetProperty("reason").GetString()!))
                .ToList();
            var scenes = root.GetProperty("scenes").EnumerateArray().Select(s => ReadScene(s, source)).ToList();
            return new SceneRecord(root.GetProperty("imagery").GetString()!, Date(root.GetProperty("start_date")), Date(root.GetProperty("end_date")),
                ParseTime(root.GetProperty("searched_at")), scenes, skipped, buckets);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new ImageryException($"Scene record {source} is not a valid record ({e.Message}): delete it to search again.", e);
        }
    }

    private static RecordedScene ReadScene(JsonElement s, string source)
    {
        var mask = s.GetProperty("mask");
        var mode = Enum.GetValues<CloudMaskMode>().Single(m => ParameterParsing.ToKebab(m.ToString()) == mask.GetProperty("source").GetString());
        var bands = s.GetProperty("assets").EnumerateObject().ToDictionary(a => a.Name, a => a.Value.GetString()!, StringComparer.Ordinal);
        var id = s.GetProperty("id").GetString()!;
        return new RecordedScene(id, ParseTime(s.GetProperty("datetime")),
            GeoJsonReader.ReadArea(s.GetProperty("geometry"), $"{source} scene {id}"), bands,
            new SceneMask(mode, Optional(mask, "item"), Optional(mask, "href")))
        {
            Collection = Optional(s, "collection"),
            GridCode = Optional(s, "grid_code"),
            CloudCover = s.TryGetProperty("cloud_cover", out var cc) && cc.ValueKind == JsonValueKind.Number ? cc.GetDouble() : null,
            Baseline = Optional(s, "baseline"),
            Offset = s.GetProperty("offset").GetInt32(),
        };
    }

    private static string? Optional(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(JsonElement e) =>
        DateTimeOffset.Parse(e.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static DateOnly Date(JsonElement e) => DateOnly.ParseExact(e.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
