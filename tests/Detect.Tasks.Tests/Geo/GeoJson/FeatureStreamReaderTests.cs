using System.Text;
using Detect.Tasks.Geo.GeoJson;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace Detect.Tasks.Tests.Geo.GeoJson;

/// <summary><see cref="GeoJsonReader.ReadFeatures(Stream, string)"/>: the string reader's results, a feature at a time.</summary>
public sealed class FeatureStreamReaderTests
{
    private const string Square = """{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}""";

    private static string Feature(string geometry, double mean) =>
        $$"""{"type":"Feature","properties":{"mean":{{mean.ToString(System.Globalization.CultureInfo.InvariantCulture)}}},"geometry":{{geometry}}}""";

    /// <summary>A square ring with <paramref name="vertices"/> positions, offset so every feature differs.</summary>
    private static string Ring(int vertices, int offset)
    {
        var points = Enumerable.Range(0, vertices).Select(i => $"[{offset + i * 1e-6:R},0]")
            .Concat([$"[{offset + 1},1]", $"[{offset},1]", $"[{offset},0]"]);
        return $$"""{"type":"Polygon","coordinates":[[{{string.Join(",", points)}}]]}""";
    }

    private static List<IFeature> Streamed(string json, int chunk = int.MaxValue)
    {
        using var stream = new ChunkedStream(Encoding.UTF8.GetBytes(json), chunk);
        return GeoJsonReader.ReadFeatures(stream, "p.geojson").ToList();
    }

    private static void ShouldMatch(IReadOnlyList<IFeature> streamed, IReadOnlyList<IFeature> whole)
    {
        streamed.Should().HaveCount(whole.Count);
        for (var i = 0; i < whole.Count; i++)
        {
            if (whole[i].Geometry is null) streamed[i].Geometry.Should().BeNull();
            else streamed[i].Geometry.EqualsExact(whole[i].Geometry).Should().BeTrue($"feature {i} has the same positions");
            streamed[i].Attributes.GetNames().Should().Equal(whole[i].Attributes.GetNames());
            foreach (var name in whole[i].Attributes.GetNames())
                streamed[i].GetString(name).Should().Be(whole[i].GetString(name));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    [InlineData(int.MaxValue)]
    public void A_collection_read_in_any_chunks_gives_the_features_the_string_reader_gives(int chunk)
    {
        // Features of 20,000 positions (~400 KB each) are larger than the first buffer, which must grow to hold one.
        var features = new[] { Feature(Square, 0.5), "{\"type\":\"Feature\",\"properties\":null,\"geometry\":null}", Feature(Ring(20_000, 3), 0.25), Feature(Ring(5, 9), 0.75) };
        var json = "\uFEFF{ \"type\" : \"FeatureCollection\", \"name\": \"patches\",\n \"features\": [\n" + string.Join(",\n", features) + "\n], \"bbox\": [0, 0, 10, 1] }\n";

        var whole = GeoJsonReader.ReadFeatures(json.TrimStart('\uFEFF'), "p.geojson");
        whole.Should().HaveCount(4);
        ShouldMatch(Streamed(json, chunk), whole);
        Streamed(json, chunk)[2].Geometry!.NumPoints.Should().Be(20_003);
        Streamed(json, chunk)[3].GetDouble("mean").Should().Be(0.75);
    }

    [Fact]
    public void What_the_writer_writes_reads_back_feature_for_feature()
    {
        var written = Enumerable.Range(0, 500).Select(i => (IFeature)new Feature(
            new GeometryFactory().CreatePolygon([new(i, 0), new(i + 1, 0), new(i + 1, 1), new(i, 1), new(i, 0)]),
            new AttributesTable { { "mean", i / 500.0 } })).ToList();
        using var buffer = new MemoryStream();
        using (var collection = GeoJsonWriter.Open(buffer))
            foreach (var f in written) collection.Add(f);

        buffer.Position = 0;
        var read = GeoJsonReader.ReadFeatures(buffer, "p.geojson").ToList();

        read.Select(f => f.GetDouble("mean")).Should().Equal(written.Select(f => (double?)f.Attributes["mean"]));
        read.Select(f => f.Geometry.EnvelopeInternal.MinX).Should().Equal(Enumerable.Range(0, 500).Select(i => (double)i));
    }

    [Fact]
    public void Features_are_parsed_as_they_are_enumerated_not_after_reading_the_whole_stream()
    {
        var json = "{\"type\":\"FeatureCollection\",\"features\":[" + string.Join(",", Enumerable.Range(0, 2000).Select(i => Feature(Square, i))) + "]}";
        using var stream = new ChunkedStream(Encoding.UTF8.GetBytes(json), 4096);

        using var features = GeoJsonReader.ReadFeatures(stream, "p.geojson").GetEnumerator();
        features.MoveNext().Should().BeTrue();

        features.Current.GetDouble("mean").Should().Be(0);
        stream.BytesRead.Should().BeLessThan(json.Length / 3, "only a first buffer of the 2000 features was read");
    }

    [Fact]
    public void A_single_feature_or_a_bare_geometry_reads_as_the_string_reader_reads_it()
    {
        foreach (var json in new[] { Feature(Square, 0.5), Square, """{"properties":{"a":1},"geometry":null,"type":"Feature"}""" })
            ShouldMatch(Streamed(json, 3), GeoJsonReader.ReadFeatures(json, "p.geojson"));
    }

    [Fact]
    public void A_collection_whose_type_comes_last_still_streams()
    {
        var json = "{\"features\":[" + Feature(Square, 0.5) + "],\"type\":\"FeatureCollection\"}";
        Streamed(json, 5).Should().ContainSingle().Which.GetDouble("mean").Should().Be(0.5);
    }

    [Theory]
    [InlineData("""{"type":"FeatureCollection"}""")]
    [InlineData("""{"type":"FeatureCollection","features":{}}""")]
    [InlineData("""{"features":[]}""")]
    [InlineData("""[1,2]""")]
    [InlineData("""{"type":"FeatureCollection","features":[{"type":"Polygon","coordinates":[]}]}""")]
    [InlineData("""{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}}]}""")]
    [InlineData("""{"type":"FeatureCollection","features":[{"type":"Feature","properties":[1],"geometry":null}]}""")]
    [InlineData("""{"type":"Feature","properties":[1],"geometry":null}""")]
    [InlineData("""{"type":"Circle","coordinates":[0,0]}""")]
    public void Bad_documents_are_refused_with_the_string_readers_message(string json)
    {
        var whole = ((Func<object>)(() => GeoJsonReader.ReadFeatures(json, "p.geojson"))).Should().Throw<FormatException>().Which.Message;

        ((Func<object>)(() => Streamed(json, 2))).Should().Throw<FormatException>().WithMessage(whole);
    }

    [Theory]
    [InlineData("")]
    [InlineData("""{"type":"FeatureCollection","features":[""")]
    [InlineData("""{"type":"FeatureCollection","features":[{"type":"Feature",}]}""")]
    [InlineData("""{"type":"FeatureCollection","features":[]} {}""")]
    [InlineData("""{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"mean":NaN},"geometry":null}]}""")]
    public void Invalid_json_is_named_as_such_wherever_it_is(string json)
    {
        ((Func<object>)(() => Streamed(json, 3))).Should().Throw<FormatException>().WithMessage("'p.geojson' is not valid JSON*");
    }

    [Fact]
    public void A_features_array_before_another_type_is_refused_by_name()
    {
        var json = "{\"features\":[" + Feature(Square, 0.5) + "],\"type\":\"Feature\",\"geometry\":null,\"properties\":{}}";
        ((Func<object>)(() => Streamed(json))).Should().Throw<FormatException>()
            .WithMessage("'p.geojson' has a \"features\" array before its \"type\", which is \"Feature\", not \"FeatureCollection\".");
    }

    /// <summary>A read-only stream that hands out at most <c>chunk</c> bytes per read, as a network stream may.</summary>
    private sealed class ChunkedStream(byte[] bytes, int chunk) : Stream
    {
        public long BytesRead { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => bytes.Length;
        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(Math.Min(count, chunk), bytes.Length - BytesRead);
            Array.Copy(bytes, BytesRead, buffer, offset, n);
            BytesRead += n;
            return n;
        }
    }
}
