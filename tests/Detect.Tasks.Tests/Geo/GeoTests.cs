using Detect.Tasks.Geo;
using Detect.Tasks.Native.Gdal;
using NetTopologySuite.Geometries;

namespace Detect.Tasks.Tests.Geo;

/// <summary>Reprojection, grid footprints and the ROI check (the GeoJSON format itself: GeoJson/).</summary>
public sealed class GeoTests
{
    private static readonly GeometryFactory Wgs84 = new(new PrecisionModel(), 4326);

    [Fact]
    public void Reprojection_to_UTM_matches_gdaltransform()
    {
        // `echo "115 -8.5" | gdaltransform -s_srs EPSG:4326 -t_srs EPSG:32750` → 279835.446046788 9059857.5488694
        var utm = GeometryReprojection.Transform(Wgs84.CreatePoint(new Coordinate(115, -8.5)), 4326, 32750);

        utm.SRID.Should().Be(32750);
        utm.Coordinate.X.Should().BeApproximately(279_835.446, 0.001);
        utm.Coordinate.Y.Should().BeApproximately(9_059_857.549, 0.001);
    }

    [Fact]
    public void A_grid_footprint_in_WGS84_is_the_grids_outline()
    {
        // 10 km square whose top-left corner is (300000, 9000000) in zone 50S: 115.180477…, -9.042047… by gdaltransform.
        var grid = new RasterGrid(32750, GeoTransform.NorthUp(300_000, 9_000_000, 10), 1000, 1000);

        var footprint = GridFootprint.Wgs84(grid);

        footprint.SRID.Should().Be(4326);
        footprint.Coordinates.Should().Contain(c => Math.Abs(c.X - 115.1804775) < 1e-6 && Math.Abs(c.Y - -9.0420471) < 1e-6, "the top-left corner");
        var back = GeometryReprojection.Transform(footprint, 4326, 32750);
        back.Area.Should().BeApproximately(1e8, 1e8 * 1e-6, "10 km × 10 km, edges densified so the outline follows the grid");
        footprint.Coordinates.Length.Should().BeGreaterThan(5, "edges are densified");
    }

    private const string Bowtie = """{"type":"Polygon","coordinates":[[[115,-8],[115.2,-8.2],[115.2,-8],[115,-8.2],[115,-8]]]}""";

    [Fact]
    public void An_invalid_roi_polygon_is_repaired_with_a_warning_naming_it()
    {
        var roi = RoiDocument.Parse(Bowtie, "bowtie.geojson");

        roi.Geometry.IsValid.Should().BeTrue();
        roi.Geometry.Area.Should().BeApproximately(0.02, 1e-9, "the two triangles of the bow tie, 0.01 square degrees each");
        roi.Warnings.Should().ContainSingle().Which.Should().Contain("polygon 1 of 'bowtie.geojson' was invalid").And.Contain("repaired (MakeValid)");
    }

    [Theory]
    [InlineData("""{"type":"Polygon","coordinates":[[[200,-8],[200.1,-8],[200.1,-8.1],[200,-8]]]}""", "outside WGS84 lon/lat")]
    [InlineData("""{"type":"Polygon","coordinates":[[[10,85],[10.1,85],[10.1,85.1],[10,85]]]}""", "tiles are laid on UTM zones")]
    public void An_roi_outside_what_can_be_tiled_is_refused_naming_the_file(string json, string message)
    {
        var act = () => RoiDocument.Parse(json, "far.geojson");

        act.Should().Throw<FormatException>().WithMessage($"*'far.geojson'*{message}*");
    }
}
