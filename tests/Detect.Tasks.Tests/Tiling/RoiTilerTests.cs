using System.Globalization;
using Detect.Tasks.Geo;
using Detect.Tasks.Geo.GeoJson;
using Detect.Tasks.Native.Gdal;
using Detect.Tasks.Tiling;
using NetTopologySuite.Geometries;

namespace Detect.Tasks.Tests.Tiling;

public sealed class RoiTilerTests
{
    private static Geometry Box(double west, double south, double east, double north) => GeoJsonReader.ReadArea(
        string.Create(CultureInfo.InvariantCulture,
            $$$"""{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[{{{west}}},{{{south}}}],[{{{east}}},{{{south}}}],[{{{east}}},{{{north}}}],[{{{west}}},{{{north}}}],[{{{west}}},{{{south}}}]]]}}]}"""),
        "box");

    // Area of the ROI (projected into each tile's zone) not covered by any tile core: must be ~0.
    private static double UncoveredArea(Geometry roi, IReadOnlyList<Tile> tiles)
    {
        var total = 0.0;
        foreach (var zone in tiles.GroupBy(t => t.Epsg))
        {
            var zoneNumber = zone.Key % 100;
            var north = zone.Key / 100 == 326;
            var west = -180.0 + (zoneNumber - 1) * 6;
            var band = roi.Factory.ToGeometry(new Envelope(west, west + 6, north ? 0 : -90, north ? 90 : 0));
            var part = NetTopologySuite.Densify.Densifier.Densify(roi.Intersection(band), 0.001);
            var projected = GeometryReprojection.Transform(part, 4326, zone.Key);
            var cores = zone.Select(t => (Geometry)t.CorePolygon()).Aggregate((a, b) => a.Union(b));
            total += projected.Difference(cores).Area;
        }
        return total;
    }

    [Fact]
    public void Temesi_test_patch_is_covered_by_zone_50_south_tiles()
    {
        var roi = Box(115.38, -8.545, 115.40, -8.525);
        var tiles = RoiTiler.Cover(roi);

        tiles.Should().NotBeEmpty().And.OnlyContain(t => t.Epsg == 32750);
        tiles.Count.Should().BeLessThanOrEqualTo(4);
        UncoveredArea(roi, tiles).Should().BeLessThan(1.0);
        foreach (var t in tiles)
        {
            t.Id.Should().MatchRegex(@"^32750_x\d{4}_y\d{4}$");
            t.CoreGrid.Width.Should().Be(856);
            t.PaddedGrid.Width.Should().Be(900);
            t.PaddedGrid.Transform.OriginX.Should().Be(t.CoreBounds.MinX - 220);
            t.PaddedGrid.Transform.OriginY.Should().Be(t.CoreBounds.MaxY + 220);
        }
    }

    [Fact]
    public void Ids_are_stable_and_parse_back_to_the_same_grid()
    {
        var roi = Box(115.0, -8.9, 115.3, -8.6);
        var first = RoiTiler.Cover(roi).Select(t => t.Id).ToList();
        var second = RoiTiler.Cover(roi).Select(t => t.Id).ToList();
        second.Should().Equal(first);
        first.Should().OnlyHaveUniqueItems();
        foreach (var tile in RoiTiler.Cover(roi))
        {
            var parsed = Tile.Parse(tile.Id);
            parsed.Should().Be(tile);
            parsed.PaddedGrid.Should().Be(tile.PaddedGrid);
        }
        // Same absolute grid whatever the ROI: a sub-ROI gets a subset of the same ids.
        RoiTiler.Cover(Box(115.1, -8.8, 115.12, -8.78)).Select(t => t.Id).Should().BeSubsetOf(first);
    }

    [Fact]
    public void Tile_just_reached_by_the_roi_edge_is_included_and_one_beyond_is_not()
    {
        // Take a tile boundary in zone 50S and put the ROI's east edge 30 m past it.
        var tile = RoiTiler.Cover(Box(115.39, -8.53, 115.391, -8.529)).Single();
        var (_, minY, maxX, maxY) = tile.CoreBounds;
        using var toWgs = CoordinateTransform.FromEpsg(32750, 4326);
        var (eastLon, _) = toWgs.Transform(maxX + 30, (minY + maxY) / 2);
        var (westLon, _) = toWgs.Transform(maxX - 2000, (minY + maxY) / 2);
        var (_, southLat) = toWgs.Transform(maxX - 1000, minY + 3000);
        var (_, northLat) = toWgs.Transform(maxX - 1000, maxY - 3000);

        var tiles = RoiTiler.Cover(Box(westLon, southLat, eastLon, northLat));

        tiles.Select(t => t.Id).Should().BeEquivalentTo(
            [tile.Id, new Tile(tile.Epsg, tile.X + 1, tile.Y, tile.Scheme).Id]);

        var (eastInside, _) = toWgs.Transform(maxX - 30, (minY + maxY) / 2);
        RoiTiler.Cover(Box(westLon, southLat, eastInside, northLat)).Select(t => t.Id).Should().Equal(tile.Id);
    }

    [Fact]
    public void Roi_across_a_zone_boundary_and_the_equator_uses_each_parts_zone()
    {
        var roi = Box(113.95, -0.05, 114.05, 0.05);
        var tiles = RoiTiler.Cover(roi);

        tiles.Select(t => t.Epsg).Distinct().Should().BeEquivalentTo([32649, 32650, 32749, 32750]);
        UncoveredArea(roi, tiles).Should().BeLessThan(1.0);
    }

    [Fact]
    public void Bad_ids_are_rejected_with_the_expected_form()
    {
        var act = () => Tile.Parse("tile-7");
        act.Should().Throw<ArgumentException>().WithMessage("*tile-7*32750_x0037_y1056*");
    }

    [Fact]
    public void Multipolygon_roi_gets_tiles_only_where_its_parts_are()
    {
        var a = Box(115.0, -8.5, 115.01, -8.49);
        var b = Box(115.5, -8.5, 115.51, -8.49);
        var tiles = RoiTiler.Cover(a.Union(b));
        tiles.Count.Should().BeInRange(2, 8);
        UncoveredArea(a.Union(b), tiles).Should().BeLessThan(1.0);
    }

    [Theory]
    [InlineData("test_patch", 1)]
    [InlineData("bali_foot", 8)]
    public void Shared_rois_are_covered(string roiName, int expectedTiles)
    {
        var roi = GeoJsonReader.ReadAreaFile(SharedData.Path($"roi/{roiName}.geojson"));
        var tiles = RoiTiler.Cover(roi);
        tiles.Should().HaveCount(expectedTiles).And.OnlyContain(t => t.Epsg == 32750);
        UncoveredArea(roi, tiles).Should().BeLessThan(1.0);
    }
}
