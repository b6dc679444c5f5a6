using System.Globalization;
using System.Text.Json;
using Detect.Tasks.Geo.GeoJson;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;

namespace Detect.Tasks.Tests.Geo.GeoJson;

public sealed class GeoJsonReaderTests
{
    private static string Collection(params string[] geometries) =>
        "{\"type\":\"FeatureCollection\",\"features\":[" +
        string.Join(",", geometries.Select(g => $"{{\"type\":\"Feature\",\"properties\":{{}},\"geometry\":{g}}}")) + "]}";

    private const string Square = """{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}""";

    [Fact]
    public void Adjacent_features_are_merged_into_one_valid_area()
    {
        const string json = """
            {"type":"FeatureCollection","features":[
              {"type":"Feature","properties":{"name":"west"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}},
              {"type":"Feature","properties":{"name":"east"},"geometry":{"type":"MultiPolygon","coordinates":[[[[1,0],[2,0],[2,1],[1,1],[1,0]]],[[[5,5],[6,5],[6,6],[5,5]]]]}}]}
            """;
        var geometry = GeoJsonReader.ReadArea(json, "regions.geojson");

        geometry.IsValid.Should().BeTrue();
        geometry.Area.Should().BeApproximately(2.5, 1e-9);
        geometry.SRID.Should().Be(4326);
        geometry.Contains(new GeometryFactory().CreatePoint(new Coordinate(1, 0.5))).Should().BeTrue("the shared border is interior after merging");
    }

    [Fact]
    public void Polygon_with_hole_keeps_it()
    {
        const string json = """{"type":"Polygon","coordinates":[[[0,0],[4,0],[4,4],[0,4],[0,0]],[[1,1],[2,1],[2,2],[1,2],[1,1]]]}""";
        GeoJsonReader.ReadArea(json, "x").Area.Should().Be(15);
    }

    [Fact]
    public void Ring_orientation_is_kept_as_written()
    {
        // Clockwise exterior (RFC 7946 writers would make it counter-clockwise): read as it is, same area either way.
        const string clockwise = """{"type":"Polygon","coordinates":[[[0,0],[0,1],[1,1],[1,0],[0,0]]]}""";
        var polygon = (Polygon)GeoJsonReader.ReadArea(clockwise, "cw.geojson");

        Orientation.IsCCW(polygon.Shell.Coordinates).Should().BeFalse();
        polygon.Area.Should().Be(1);
    }

    [Fact]
    public void Altitudes_are_dropped_from_areas()
    {
        const string json = """{"type":"Polygon","coordinates":[[[0,0,12],[1,0,12],[1,1,12],[0,1,12],[0,0,12]]]}""";
        GeoJsonReader.ReadArea(json, "z.geojson").Coordinates.Should().OnlyContain(c => double.IsNaN(c.Z));
    }

    [Fact]
    public void An_unclosed_ring_is_refused_naming_the_file_the_feature_and_the_fix()
    {
        var json = Collection(Square, """{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}""");

        var area = () => GeoJsonReader.ReadArea(json, "roi.geojson");
        var features = () => GeoJsonReader.ReadFeatures(json, "roi.geojson");

        area.Should().Throw<FormatException>().WithMessage(
            "'roi.geojson' features[1]: the exterior ring of a polygon is not closed: it starts at [0, 0] and ends at [0, 1]. " +
            "A GeoJSON ring ends where it starts (RFC 7946 §3.1.6): repeat the first position at the end of the ring.");
        features.Should().Throw<FormatException>().WithMessage("'roi.geojson' features[1]: the exterior ring of a polygon is not closed*");
    }

    [Fact]
    public void An_unclosed_hole_is_named_as_a_hole()
    {
        const string json = """{"type":"Polygon","coordinates":[[[0,0],[4,0],[4,4],[0,4],[0,0]],[[1,1],[2,1],[2,2],[1,2]]]}""";
        ((Func<Geometry>)(() => GeoJsonReader.ReadArea(json, "holes.geojson"))).Should().Throw<FormatException>()
            .WithMessage("'holes.geojson' the geometry: hole 1 of a polygon is not closed*");
    }

    [Theory]
    [InlineData("""{"type":"Point","coordinates":[1,2]}""", "'roi.geojson' the geometry is a Point; only Polygon and MultiPolygon*")]
    [InlineData("""{"type":"FeatureCollection","features":[]}""", "'roi.geojson' holds no Polygon or MultiPolygon geometry.")]
    [InlineData("""{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":null}]}""", "*no Polygon*")]
    [InlineData("""{"type":"FeatureCollection"}""", "'roi.geojson' is a FeatureCollection without the array \"features\"*")]
    [InlineData("""{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}""", "*the exterior ring of a polygon has 3 position(s); a ring needs at least 4 positions*")]
    [InlineData("""{"type":""", "'roi.geojson' is not valid JSON*")]
    [InlineData("""{"type":"Polygon","coordinates":[[[NaN,0],[1,0],[1,1],[NaN,0]]]}""", "'roi.geojson' is not valid JSON*")]
    [InlineData("""{"type":"Polygon","coordinates":[[[1e400,0],[1,0],[1,1],[1e400,0]]]}""", "*the position [1e400,0] is not [longitude, latitude] (two finite numbers*")]
    [InlineData("""{"type":"Polygon","coordinates":[[["0","0"],[1,0],[1,1],["0","0"]]]}""", "*the position [\"0\",\"0\"] is not [longitude, latitude]*")]
    [InlineData("""{"type":"Circle","coordinates":[0,0]}""", "'roi.geojson' the geometry: the geometry type 'Circle' is not GeoJSON; use one of Point, *")]
    [InlineData("""{"type":"Polygon"}""", "*a Polygon has no \"coordinates\" array.")]
    [InlineData("""[1,2]""", "'roi.geojson' is not GeoJSON: its top level has no \"type\"*")]
    [InlineData("""{"type":"FeatureCollection","features":[{"type":"Polygon","coordinates":[]}]}""", "'roi.geojson' features[0] is not a Feature*")]
    [InlineData("""{"type":"Feature","properties":[1],"geometry":null}""", "'roi.geojson' the Feature has \"properties\" that are not an object*")]
    public void Bad_input_names_the_source_and_the_problem(string json, string message)
    {
        var act = () => GeoJsonReader.ReadArea(json, "roi.geojson");
        act.Should().Throw<FormatException>().WithMessage(message);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var path = Path.Combine(Path.GetTempPath(), "detect-missing-" + Guid.NewGuid().ToString("N") + ".geojson");
        ((Func<Geometry>)(() => GeoJsonReader.ReadAreaFile(path))).Should().Throw<FileNotFoundException>().WithMessage($"*'{path}' does not exist*");
        ((Func<object>)(() => GeoJsonReader.ReadFeaturesFile(path))).Should().Throw<FileNotFoundException>().WithMessage($"*'{path}'*");
    }

    [Fact]
    public void Features_come_from_a_collection_a_feature_or_a_bare_geometry()
    {
        GeoJsonReader.ReadFeatures(Collection(Square, Square, "null"), "c").Should().HaveCount(3);
        var single = GeoJsonReader.ReadFeatures($$"""{"type":"Feature","properties":{"name":"a"},"geometry":{{Square}}}""", "f").Should().ContainSingle().Subject;
        single.GetString("name").Should().Be("a");
        var bare = GeoJsonReader.ReadFeatures(Square, "g").Should().ContainSingle().Subject;
        bare.Geometry.Should().BeOfType<Polygon>();
        bare.Attributes.Count.Should().Be(0);

        var withoutGeometry = GeoJsonReader.ReadFeatures(Collection("null"), "c")[0];
        withoutGeometry.Geometry.Should().BeNull();
        withoutGeometry.Attributes.Should().NotBeNull("callers never need to check");
    }

    [Fact]
    public void Numbers_are_read_as_the_double_nearest_their_text_not_through_decimal()
    {
        // GeoJSON4STJ boxes property numbers as decimal; this value is one whose decimal → double cast is one ulp off.
        const string text = "0.9417566102658197";
        var exact = double.Parse(text, CultureInfo.InvariantCulture);
        ((double)decimal.Parse(text, CultureInfo.InvariantCulture)).Should().NotBe(exact, "else this test would prove nothing");
        var feature = GeoJsonReader.ReadFeatures($$"""{"type":"Feature","properties":{"mean":{{text}},"count":3,"big":1e300,"name":"x","flag":true,"none":null},"geometry":null}""", "f")[0];

        feature.GetDouble("mean").Should().Be(exact);
        feature.GetDouble("count").Should().Be(3);
        feature.GetDouble("big").Should().Be(1e300, "beyond decimal's range, still a double");
        feature.GetDouble("name").Should().BeNull();
        feature.GetDouble("absent").Should().BeNull();
        feature.GetString("count").Should().Be("3");
        feature.GetString("mean").Should().Be(text);
        feature.GetString("flag").Should().Be("true");
        feature.GetString("none").Should().BeNull();
    }

    [Fact]
    public void A_stac_geometry_object_reads_as_an_area()
    {
        using var item = JsonDocument.Parse("""{"geometry":{"type":"MultiPolygon","coordinates":[[[[115,-9],[116,-9],[116,-8],[115,-8],[115,-9]]]]}}""");
        GeoJsonReader.ReadArea(item.RootElement.GetProperty("geometry"), "STAC item S2A").Area.Should().Be(1);

        using var open = JsonDocument.Parse("""{"type":"Polygon","coordinates":[[[115,-9],[116,-9],[116,-8],[115,-8]]]}""");
        ((Func<Geometry>)(() => GeoJsonReader.ReadArea(open.RootElement, "STAC item S2B"))).Should().Throw<FormatException>()
            .WithMessage("'STAC item S2B' geometry: the exterior ring of a polygon is not closed*");
    }
}
