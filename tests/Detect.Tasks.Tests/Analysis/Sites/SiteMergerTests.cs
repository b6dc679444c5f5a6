using Detect.Tasks.Geo.GeoJson;
using Detect.Tasks.Analysis.Sites;

namespace Detect.Tasks.Tests.Analysis.Sites;

public class SiteMergerTests
{
    [Fact]
    public void Empty_input_gives_no_sites() => SiteMerger.Merge([]).Should().BeEmpty();

    [Fact]
    public void Isolated_points_stay_where_they_are_and_are_named_in_lon_lat_order()
    {
        var sites = SiteMerger.Merge([(10.2, 1.0), (10.0, 2.0), (10.1, -3.0)]);
        sites.Should().Equal(new Site("site_1", 10.0, 2.0), new Site("site_2", 10.1, -3.0), new Site("site_3", 10.2, 1.0));
    }

    [Fact]
    public void A_pair_exactly_at_the_radius_merges_to_its_midpoint()
    {
        var sites = SiteMerger.Merge([(0.0, 0.0), (0.0, 0.005)]);
        sites.Should().ContainSingle().Which.Should().Be(new Site("site_1", 0.0, 0.0025));
    }

    [Fact]
    public void A_pair_just_beyond_the_radius_stays_apart()
    {
        SiteMerger.Merge([(0.0, 0.0), (0.0, 0.0050001)]).Should().HaveCount(2);
    }

    [Fact]
    public void A_chain_whose_ends_are_out_of_reach_collapses_to_its_centre()
    {
        // A–B and B–C are within 0.005°, A–C is not: round 1 pulls A and C towards B (means 0.002 apart), round 2 merges all.
        var sites = SiteMerger.Merge([(5.0, 0.0), (5.004, 0.0), (5.008, 0.0)]);
        var site = sites.Should().ContainSingle().Subject;
        site.Lon.Should().BeApproximately(5.004, 1e-12);
        site.Lat.Should().Be(0);
    }

    [Fact]
    public void Two_clusters_far_apart_give_two_sites_at_their_means()
    {
        var sites = SiteMerger.Merge([(1.0, 1.0), (1.001, 1.0), (1.0, 1.001), (2.0, 2.0), (2.002, 2.0)]);
        sites.Should().HaveCount(2);
        sites[0].Lon.Should().BeApproximately(1.0 + 0.001 / 3, 1e-12);
        sites[0].Lat.Should().BeApproximately(1.0 + 0.001 / 3, 1e-12);
        sites[1].Lon.Should().BeApproximately(2.001, 1e-12);
    }

    [Fact]
    public void Duplicates_weigh_in_the_first_mean_and_input_order_does_not_matter()
    {
        (double, double)[] pts = [(3.0, 3.0), (3.0, 3.0), (3.003, 3.0), (7.0, 7.0), (3.1, 3.1)];
        var a = SiteMerger.Merge(pts);
        var b = SiteMerger.Merge(pts.Reverse());
        a.Should().Equal(b);
        a.Should().HaveCount(3);
        a[0].Lon.Should().BeApproximately(3.001, 1e-12);
    }

    [Fact]
    public void Bad_radius_and_non_finite_points_are_rejected()
    {
        ((Action)(() => SiteMerger.Merge([(0.0, 0.0)], 0))).Should().Throw<ArgumentException>().WithMessage("*mergeRadius*");
        ((Action)(() => SiteMerger.Merge([(double.NaN, 0.0)]))).Should().Throw<ArgumentException>().WithMessage("*not finite*");
    }
}

public class SiteFeaturesTests
{
    [Fact]
    public void Sites_round_trip_through_geojson_with_lon_lat_name()
    {
        var sites = new[] { new Site("site_1", 36.81, -1.28), new Site("site_2", -0.5, 51.5) };
        var json = Detect.Tasks.Geo.GeoJson.GeoJsonWriter.ToJson(sites.Select(s => SiteFeatures.ToFeature(s)));
        var features = Detect.Tasks.Geo.GeoJson.GeoJsonReader.ReadFeatures(json, "candidates.geojson");
        features[0].Attributes.GetNames().Should().Equal("lon", "lat", "name");
        features[0].GetDouble("lat").Should().Be(-1.28);
        SiteFeatures.FromFeatures(features, "candidates.geojson").Should().Equal(sites);
    }

    [Fact]
    public void Non_point_features_are_rejected_with_the_file_name()
    {
        var f = new NetTopologySuite.Geometries.GeometryFactory();
        var poly = new NetTopologySuite.Features.Feature(f.CreatePolygon([new(0, 0), new(1, 0), new(1, 1), new(0, 0)]), new NetTopologySuite.Features.AttributesTable());
        ((Action)(() => SiteFeatures.FromFeatures([poly], "sites.geojson"))).Should().Throw<FormatException>().WithMessage("sites.geojson: feature 0 is a Polygon*");
    }
}
