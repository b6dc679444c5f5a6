using Detect.Tasks.Analysis.Sites;
using NetTopologySuite.Geometries;

namespace Detect.Tasks.Tests.Analysis.Sites;

public class PatchFilterTests
{
    private static readonly GeometryFactory F = new();

    private static Polygon Square(double x0, double y0, double size) => F.CreatePolygon(
    [
        new Coordinate(x0, y0), new Coordinate(x0 + size, y0), new Coordinate(x0 + size, y0 + size),
        new Coordinate(x0, y0 + size), new Coordinate(x0, y0),
    ]);

    private readonly PatchFilter _filter = new(
    [
        (Square(0, 0, 1), 0.9),     // confirmed
        (Square(5, 5, 1), 0.3),     // exactly at the minimum: not above it
        (Square(10, 10, 1), 0.1),   // low score
    ]);

    [Theory]
    [InlineData(0.5, 0.5, true)]    // inside
    [InlineData(1.5, 0.5, false)]   // outside
    [InlineData(1.0, 0.5, true)]    // on an edge counts as inside
    [InlineData(0.0, 0.0, true)]    // on a vertex counts as inside
    [InlineData(5.5, 5.5, false)]   // inside a patch with mean == 0.3
    [InlineData(10.5, 10.5, false)] // inside a low-scoring patch
    public void Point_in_out_or_on_the_edge(double lon, double lat, bool accepted) =>
        _filter.Accepts(lon, lat).Should().Be(accepted);

    [Fact]
    public void Filter_keeps_confirmed_sites_in_order()
    {
        var kept = _filter.Filter([new Site("site_1", 0.2, 0.2), new Site("site_2", 5.5, 5.5), new Site("site_3", 0.9, 0.1)]);
        kept.Select(s => s.Name).Should().Equal("site_1", "site_3");
        _filter.PatchCount.Should().Be(1);
    }

    [Fact]
    public void Polygon_with_a_hole_rejects_points_in_the_hole()
    {
        var shell = F.CreateLinearRing([new(0, 0), new(4, 0), new(4, 4), new(0, 4), new(0, 0)]);
        var hole = F.CreateLinearRing([new(1, 1), new(1, 3), new(3, 3), new(3, 1), new(1, 1)]);
        var filter = new PatchFilter([(F.CreatePolygon(shell, [hole]), 0.8)]);
        filter.Accepts(2, 2).Should().BeFalse();
        filter.Accepts(0.5, 2).Should().BeTrue();
    }

    [Fact]
    public void Non_polygon_patches_are_rejected_with_a_clear_message()
    {
        var act = () => new PatchFilter([(F.CreatePoint(new Coordinate(0, 0)), 0.9)]);
        act.Should().Throw<ArgumentException>().WithMessage("*must be polygons*Point*");
    }

    [Fact]
    public void Patches_load_from_geojson_features_with_mean()
    {
        var json = """
            {"type":"FeatureCollection","features":[
             {"type":"Feature","properties":{"mean":0.95},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}},
             {"type":"Feature","properties":{"mean":0.05},"geometry":{"type":"Polygon","coordinates":[[[2,0],[3,0],[3,1],[2,1],[2,0]]]}}]}
            """;
        var filter = PatchFilter.FromFeatures(Detect.Tasks.Geo.GeoJson.GeoJsonReader.ReadFeatures(json, "run_patch.geojson"), "run_patch.geojson");
        filter.Accepts(0.5, 0.5).Should().BeTrue();
        filter.Accepts(2.5, 0.5).Should().BeFalse();
        var noMean = Detect.Tasks.Geo.GeoJson.GeoJsonReader.ReadFeatures(json.Replace("\"mean\":0.05", "\"score\":0.05"), "run_patch.geojson");
        ((Action)(() => PatchFilter.FromFeatures(noMean, "run_patch.geojson"))).Should().Throw<FormatException>().WithMessage("run_patch.geojson: feature 1 has no numeric \"mean\"*");
    }
}
