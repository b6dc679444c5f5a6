using Detect.Tasks.Geo;
using NetTopologySuite.Geometries;

namespace Detect.Tasks.Tests.Geo;

public sealed class GeoJsonGeometryReaderTests
{
    [Fact]
    public void Adjacent_features_are_merged_into_one_valid_area()
    {
        const string json = """
            {"type":"FeatureCollection","features":[
              {"type":"Feature","properties":{"name":"west"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}},
              {"type":"Feature","properties":{"name":"east"},"geometry":{"type":"MultiPolygon","coordinates":[[[[1,0],[2,0],[2,1],[1,1],[1,0]]],[[[5,5],[6,5],[6,6],[5,5]]]]}}]}
            """;
        var geometry = GeoJsonGeometryReader.Read(json, "regions.geojson");

        geometry.IsValid.Should().BeTrue();
        geometry.Area.Should().BeApproximately(2.5, 1e-9);
        geometry.SRID.Should().Be(4326);
        geometry.Contains(new GeometryFactory().CreatePoint(new Coordinate(1, 0.5))).Should().BeTrue("the shared border is interior after merging");
    }

    [Fact]
    public void Polygon_with_hole_keeps_it()
    {
        const string json = """{"type":"Polygon","coordinates":[[[0,0],[4,0],[4,4],[0,4],[0,0]],[[1,1],[2,1],[2,2],[1,2],[1,1]]]}""";
        GeoJsonGeometryReader.Read(json, "x").Area.Should().Be(15);
    }

    [Theory]
    [InlineData("""{"type":"Point","coordinates":[1,2]}""", "*roi.geojson*Point*")]
    [InlineData("""{"type":"FeatureCollection","features":[]}""", "*roi.geojson*no Polygon*")]
    [InlineData("""{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}""", "*roi.geojson*4 positions*")]
    [InlineData("""{"type":""", "*roi.geojson*not valid JSON*")]
    public void Bad_input_names_the_source_and_the_problem(string json, string message)
    {
        var act = () => GeoJsonGeometryReader.Read(json, "roi.geojson");
        act.Should().Throw<FormatException>().WithMessage(message);
    }
}
