using System.Text.Json;
using NetTopologySuite.Features;

namespace Detect.Tasks.Geo.GeoJson;

/// <summary>
/// The features of a GeoJSON document read from a stream one at a time (<see cref="GeoJsonReader.ReadFeatures(Stream, string)"/>):
/// a FeatureCollection of a million features (a province's patch windows, 250 MB) is never in memory at once. Only the
/// bytes of the feature being parsed are buffered; the buffer grows to hold the largest single feature.
/// </summary>
/// <remarks>
/// The top level's other members are kept (they are small). A collection streams when its "features" come after its
/// "type" (or with no "type" seen yet: the type is then checked at the end, and a document that turns out to be something
/// else is an error, named). A Feature or a bare geometry is rebuilt from the kept members and read as
/// <see cref="GeoJsonReader.ReadFeatures(string, string)"/> reads it, so both readers accept and refuse the same documents
/// with the same messages.
/// </remarks>
internal sealed class FeatureStreamReader
{
    private const int InitialBuffer = 64 * 1024;
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    private readonly Stream _stream;
    private readonly string _source;
    private byte[] _buffer = new byte[InitialBuffer];
    private int _start, _end;
    private bool _final;
    private JsonReaderState _state = new(new JsonReaderOptions()); // the limits JsonDocument.Parse has (depth 64, no comments)
    private readonly Dictionary<string, JsonElement> _members = [];
    private string? _type;
    private int _streamed;
    private bool _sawFeatures;

    private FeatureStreamReader(Stream stream, string source)
    {
        _stream = stream;
        _source = source;
    }

    public static IEnumerable<IFeature> Read(Stream stream, string source)
    {
        var reader = new FeatureStreamReader(stream, source);
        while (!reader._final && reader._end < Utf8Bom.Length) reader.Fill();
        if (reader._end >= Utf8Bom.Length && reader._buffer.AsSpan(0, 3).SequenceEqual(Utf8Bom)) reader._start = 3;
        reader.Step<bool>(reader.StartRoot);
        while (true)
        {
            var member = reader.Step<Member>(reader.NextMember);
            if (member == Member.End) break;
            if (member != Member.Features) continue;
            while (reader.Step<JsonElement?>(NextFeature) is { } element)
            {
                var where = $"features[{reader._streamed++}]";
                yield return GeoJsonReader.ReadFeature(element, source, where);
            }
        }
        reader.Step<bool>(reader.EndOfDocument);
        foreach (var feature in reader.Rest()) yield return feature;
    }

    private enum Member { Other, Features, End }

    /// <summary>What the members say once the document is read: the collection's checks, or the Feature / geometry itself.</summary>
    private IEnumerable<IFeature> Rest()
    {
        if (_type is null) return GeoJsonReader.ReadFeatures(RebuiltRoot(), _source); // names the missing "type"
        if (_type == "FeatureCollection")
            return _sawFeatures ? [] : GeoJsonReader.ReadFeatures(RebuiltRoot(), _source); // names the missing array
        if (_sawFeatures)
            throw new FormatException($"'{_source}' has a \"features\" array before its \"type\", which is \"{_type}\", not \"FeatureCollection\".");
        return GeoJsonReader.ReadFeatures(RebuiltRoot(), _source);
    }

    private string RebuiltRoot()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in _members)
            {
                writer.WritePropertyName(name);
                value.WriteTo(writer);
            }
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private delegate bool Unit<T>(ref Utf8JsonReader reader, out T result);

    /// <summary>
    /// Runs one unit of reading on the buffered bytes; when they end inside it, reads more and runs it again from the
    /// same place. A unit that completes commits its bytes and the reader's state.
    /// </summary>
    private T Step<T>(Unit<T> unit)
    {
        while (true)
        {
            var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _final, _state);
            bool complete;
            T result;
            try { complete = unit(ref reader, out result); }
            catch (JsonException e) { throw new FormatException($"'{_source}' is not valid JSON: {e.Message}", e); }
            if (complete)
            {
                _start += (int)reader.BytesConsumed;
                _state = reader.CurrentState;
                return result;
            }
            if (_final) throw new FormatException($"'{_source}' is not valid JSON: it ends inside a value.");
            Fill();
        }
    }

    /// <summary>Keeps the unread bytes, makes room (doubling the buffer when they fill half of it) and reads more.</summary>
    private void Fill()
    {
        var unread = _end - _start;
        var target = unread > _buffer.Length / 2 ? new byte[_buffer.Length * 2] : _buffer;
        Buffer.BlockCopy(_buffer, _start, target, 0, unread);
        _buffer = target;
        _start = 0;
        _end = unread;
        // Up to a full buffer, whatever the stream's chunks: a unit that ran out of bytes starts again from its first
        // byte, so refilling only a network read's worth would parse a large feature over and over.
        while (_end < _buffer.Length)
        {
            var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0) { _final = true; break; }
            _end += read;
        }
    }

    private bool StartRoot(ref Utf8JsonReader reader, out bool _)
    {
        _ = true;
        if (!reader.Read()) return false;
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new FormatException($"'{_source}' is not GeoJSON: its top level has no \"type\" (FeatureCollection, Feature or a geometry).");
        return true;
    }

    private bool NextMember(ref Utf8JsonReader reader, out Member member)
    {
        member = Member.Other;
        if (!reader.Read()) return false;
        if (reader.TokenType == JsonTokenType.EndObject) { member = Member.End; return true; }
        var name = reader.GetString()!;
        if (name == "features" && _type is (null or "FeatureCollection"))
        {
            if (!reader.Read()) return false;
            if (reader.TokenType != JsonTokenType.StartArray)
                throw new FormatException($"'{_source}' is a FeatureCollection without the array \"features\" (write \"features\": [] for none).");
            _sawFeatures = true;
            member = Member.Features;
            return true;
        }
        if (!JsonDocument.TryParseValue(ref reader, out var value)) return false;
        using (value)
        {
            var element = value!.RootElement.Clone();
            _members[name] = element;
            if (name == "type") _type = element.ValueKind == JsonValueKind.String ? element.GetString() : null;
        }
        return true;
    }

    /// <summary>The next element of "features", or null at the end of the array.</summary>
    private static bool NextFeature(ref Utf8JsonReader reader, out JsonElement? element)
    {
        element = null;
        if (!reader.Read()) return false;
        if (reader.TokenType == JsonTokenType.EndArray) return true;
        if (!JsonDocument.TryParseValue(ref reader, out var value)) return false;
        using (value) element = value!.RootElement.Clone();
        return true;
    }

    /// <summary>Nothing but white space after the top level (the reader refuses anything else, as JSON does).</summary>
    private bool EndOfDocument(ref Utf8JsonReader reader, out bool _)
    {
        _ = true;
        if (reader.Read()) return true; // not reached: the reader throws on a second top-level value
        return _final;
    }
}
