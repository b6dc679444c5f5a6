using System.Diagnostics;
using Detect.Tasks.Analysis.GeoJson;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;

namespace Detect.Tasks.Tests.Analysis.GeoJson;

public sealed class GeoJsonTests : IDisposable
{
    private static readonly GeometryFactory F = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("geojson-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Polygon ClockwiseSquareWithCounterClockwiseHole() => F.CreatePolygon(
        F.CreateLinearRing([new(0, 0), new(0, 4), new(4, 4), new(4, 0), new(0, 0)]),
        [F.CreateLinearRing([new(1, 1), new(3, 1), new(3, 3), new(1, 3), new(1, 1)])]);

    private static List<GeoJsonFeature> SampleFeatures() =>
    [
        new(F.CreatePoint(new Coordinate(-122.41941550000001, 37.7749295)), new Dictionary<string, object?>
            { ["name"] = "site_1", ["lon"] = -122.41941550000001, ["lat"] = 37.7749295, ["count"] = 3L, ["ok"] = true, ["note"] = null }),
        new(ClockwiseSquareWithCounterClockwiseHole(), new Dictionary<string, object?> { ["area (km^2)"] = 0.25, ["date"] = new DateOnly(2020, 5, 1) }),
        new(F.CreateMultiPolygon([ClockwiseSquareWithCounterClockwiseHole(), (Polygon)ClockwiseSquareWithCounterClockwiseHole().Buffer(0).Reverse()])),
    ];

    [Fact]
    public void Round_trip_keeps_geometries_and_properties()
    {
        var features = SampleFeatures();
        var back = GeoJsonReader.Read(GeoJsonWriter.ToJson(features));
        back.Should().HaveCount(3);
        back[0].Geometry.EqualsExact(features[0].Geometry).Should().BeTrue();
        back[0].GetString("name").Should().Be("site_1");
        back[0].GetDouble("lon").Should().Be(-122.41941550000001);
        back[0].Properties["count"].Should().Be(3L);
        back[0].Properties["ok"].Should().Be(true);
        back[0].Properties["note"].Should().BeNull();
        back[1].GetString("date").Should().Be("2020-05-01");
        back[1].Geometry.EqualsTopologically(features[1].Geometry).Should().BeTrue();
        back[2].Geometry.Should().BeOfType<MultiPolygon>().Which.NumGeometries.Should().Be(2);
    }

    [Fact]
    public void Polygons_follow_the_right_hand_rule()
    {
        var poly = (Polygon)GeoJsonReader.Read(GeoJsonWriter.ToJson([new GeoJsonFeature(ClockwiseSquareWithCounterClockwiseHole())]))[0].Geometry;
        Orientation.IsCCW(poly.Shell.Coordinates).Should().BeTrue();
        Orientation.IsCCW(poly.Holes[0].Coordinates).Should().BeFalse();
    }

    [Fact]
    public void Written_files_open_in_gdal_with_the_right_feature_count()
    {
        string path = Path.Combine(_dir, "features.geojson");
        GeoJsonWriter.WriteFile(path, SampleFeatures());
        string info = Ogrinfo(path);
        info.Should().Contain("Feature Count: 3");
        string points = Path.Combine(_dir, "points.geojson");
        GeoJsonWriter.WriteFile(points, Enumerable.Range(0, 5).Select(i => new GeoJsonFeature(F.CreatePoint(new Coordinate(i, i)),
            new Dictionary<string, object?> { ["name"] = $"site_{i + 1}" })));
        string pinfo = Ogrinfo(points);
        pinfo.Should().Contain("Feature Count: 5").And.Contain("Geometry: Point").And.Contain("name: String");
    }

    [Fact]
    public void Empty_collection_is_valid()
    {
        string path = Path.Combine(_dir, "empty.geojson");
        GeoJsonWriter.WriteFile(path, []);
        GeoJsonReader.ReadFile(path).Should().BeEmpty();
        Ogrinfo(path).Should().Contain("Feature Count: 0");
    }

    [Fact]
    public void Bad_input_names_the_problem()
    {
        ((Action)(() => GeoJsonReader.Read("{\"type\":\"FeatureCollection\"}"))).Should().Throw<FormatException>().WithMessage("*features*");
        ((Action)(() => GeoJsonReader.ReadFile(Path.Combine(_dir, "missing.geojson")))).Should().Throw<FileNotFoundException>().WithMessage("*missing.geojson*");
        ((Action)(() => GeoJsonWriter.ToJson([new GeoJsonFeature(F.CreatePoint(new Coordinate(0, 0)),
            new Dictionary<string, object?> { ["mean"] = double.NaN })]))).Should().Throw<ArgumentException>().WithMessage("*mean*NaN*");
    }

    private static string Ogrinfo(string path)
    {
        var psi = new ProcessStartInfo("ogrinfo", ["-ro", "-so", "-al", path]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start ogrinfo (install gdal-bin)");
        string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        p.ExitCode.Should().Be(0, output);
        return output;
    }
}
