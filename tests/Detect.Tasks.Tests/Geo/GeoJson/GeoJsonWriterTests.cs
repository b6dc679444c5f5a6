using System.Diagnostics;
using System.Text.Json;
using Detect.Tasks.Geo.GeoJson;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace Detect.Tasks.Tests.Geo.GeoJson;

public sealed class GeoJsonWriterTests : IDisposable
{
    private static readonly GeometryFactory F = new(new PrecisionModel(), 4326);
    private readonly string _dir = Directory.CreateTempSubdirectory("geojson-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Polygon ClockwiseSquareWithCounterClockwiseHole() => F.CreatePolygon(
        F.CreateLinearRing([new(0, 0), new(0, 4), new(4, 4), new(4, 0), new(0, 0)]),
        [F.CreateLinearRing([new(1, 1), new(3, 1), new(3, 3), new(1, 3), new(1, 1)])]);

    private static IFeature Feature(Geometry geometry, AttributesTable? properties = null) => new Feature(geometry, properties ?? new AttributesTable());

    private static List<IFeature> SampleFeatures() =>
    [
        Feature(F.CreatePoint(new Coordinate(-122.41941550000001, 37.7749295)), new AttributesTable
            { { "name", "site_1" }, { "lon", -122.41941550000001 }, { "lat", 37.7749295 }, { "count", 3L }, { "ok", true }, { "note", null } }),
        Feature(ClockwiseSquareWithCounterClockwiseHole(), new AttributesTable { { "area (km^2)", 0.25 }, { "date", new DateOnly(2020, 5, 1) } }),
        Feature(F.CreateMultiPolygon([ClockwiseSquareWithCounterClockwiseHole(), (Polygon)ClockwiseSquareWithCounterClockwiseHole().Buffer(0).Reverse()])),
    ];

    [Fact]
    public void Round_trip_keeps_geometries_and_properties()
    {
        var features = SampleFeatures();
        var back = GeoJsonReader.ReadFeatures(GeoJsonWriter.ToJson(features), "sample");
        back.Should().HaveCount(3);
        back[0].Geometry.EqualsExact(features[0].Geometry).Should().BeTrue("coordinates are written with round-trip precision");
        back[0].GetString("name").Should().Be("site_1");
        back[0].GetDouble("lon").Should().Be(-122.41941550000001);
        back[0].GetDouble("count").Should().Be(3);
        back[0].GetString("ok").Should().Be("true");
        back[0].GetString("note").Should().BeNull();
        back[0].Attributes.Exists("note").Should().BeTrue();
        back[1].GetString("date").Should().Be("2020-05-01");
        back[1].Geometry.EqualsTopologically(features[1].Geometry).Should().BeTrue();
        back[2].Geometry.Should().BeOfType<MultiPolygon>().Which.NumGeometries.Should().Be(2);
    }

    [Fact]
    public void Output_text_is_the_same_as_the_hand_written_writers_apart_from_member_order()
    {
        // The properties' text is what the writer this one replaced produced for the same values (a site of
        // sites_with_metadata.geojson, a patch polygon); "geometry" now comes before "properties".
        var site = Feature(F.CreatePoint(new Coordinate(115.34242051499, -8.563115158362901)), new AttributesTable
            { { "lon", 115.34242051499 }, { "lat", -8.563115158362901 }, { "name", "site_1" }, { "distance_km", Math.Round(3.14159, 3) }, { "city", null } });
        var patch = Feature(F.CreatePolygon([new(0, 0), new(0, 1), new(1, 1), new(1, 0), new(0, 0)]), new AttributesTable { { "mean", Math.Round(0.3, 6) } });

        GeoJsonWriter.ToJson([site, patch]).Should().Be(
            "{\"type\":\"FeatureCollection\",\"features\":[" +
            "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[115.34242051499,-8.563115158362901]}," +
            "\"properties\":{\"lon\":115.34242051499,\"lat\":-8.563115158362901,\"name\":\"site_1\",\"distance_km\":3.142,\"city\":null}}," +
            "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]},\"properties\":{\"mean\":0.3}}]}");
    }

    [Fact]
    public void A_collection_written_feature_by_feature_is_the_text_written_at_once()
    {
        // PatchClassifier merges a province's patch windows this way, one tile's file at a time.
        var features = SampleFeatures().Concat(GeoJsonReader.ReadFeatures(
            """{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"mean":0.300000,"big":1e300},"geometry":null}]}""", "tile.geojson")).ToList();
        using var buffer = new MemoryStream();

        using (var collection = GeoJsonWriter.Open(buffer))
            foreach (var feature in features) collection.Add(feature);

        System.Text.Encoding.UTF8.GetString(buffer.ToArray()).Should().Be(GeoJsonWriter.ToJson(features));
        using var empty = new MemoryStream();
        GeoJsonWriter.Open(empty).Dispose();
        System.Text.Encoding.UTF8.GetString(empty.ToArray()).Should().Be(GeoJsonWriter.ToJson([]));
    }

    [Fact]
    public void A_feature_with_a_NaN_position_is_refused_by_the_collection_writer_naming_it()
    {
        using var buffer = new MemoryStream();
        using var collection = GeoJsonWriter.Open(buffer);
        collection.Add(SampleFeatures()[0]);

        var act = () => collection.Add(Feature(F.CreatePoint(new Coordinate(double.NaN, 1))));

        act.Should().Throw<ArgumentException>().WithMessage("*features[1]*NaN*");
    }

    [Fact]
    public void Features_read_from_a_file_are_written_back_with_their_properties_text_unchanged()
    {
        // PatchClassifier and GenerateContourForSites merge per-tile / per-site files this way.
        const string properties = """{"mean":0.300000,"big":1e300,"nested":{"a":[1,"x"]},"name":"p","n":null}""";
        var features = GeoJsonReader.ReadFeatures($$"""{"type":"FeatureCollection","features":[{"type":"Feature","properties":{{properties}},"geometry":null}]}""", "tile.geojson");

        GeoJsonWriter.ToJson(features).Should().Be($$"""{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":{{properties}}}]}""");
    }

    [Fact]
    public void Polygons_follow_the_right_hand_rule()
    {
        var json = GeoJsonWriter.ToJson([Feature(ClockwiseSquareWithCounterClockwiseHole())]);
        var poly = (Polygon)GeoJsonReader.ReadFeatures(json, "rhr")[0].Geometry;
        Orientation.IsCCW(poly.Shell.Coordinates).Should().BeTrue();
        Orientation.IsCCW(poly.Holes[0].Coordinates).Should().BeFalse();
    }

    [Fact]
    public void A_geometry_object_is_written_with_rounded_coordinates_and_rfc_7946_rings()
    {
        var clockwise = F.CreatePolygon([new(115.123456789, -8.5), new(115.123456789, -8.4), new(115.2, -8.4), new(115.2, -8.5), new(115.123456789, -8.5)]);

        GeoJsonWriter.GeometryToJson(clockwise, decimals: 7).Should().Be(
            """{"type":"Polygon","coordinates":[[[115.1234568,-8.5],[115.2,-8.5],[115.2,-8.4],[115.1234568,-8.4],[115.1234568,-8.5]]]}""");
        GeoJsonWriter.GeometryToJson(clockwise).Should().Contain("115.123456789", "no rounding unless asked");
        clockwise.Coordinates[0].X.Should().Be(115.123456789, "the caller's geometry is not changed");

        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WritePropertyName("geometry");
            GeoJsonWriter.WriteGeometry(w, F.CreatePoint(new Coordinate(1, 2)));
            w.WriteEndObject();
        }
        System.Text.Encoding.UTF8.GetString(buffer.ToArray()).Should().Be("""{"geometry":{"type":"Point","coordinates":[1,2]}}""");
    }

    [Fact]
    public void Written_files_open_in_gdal_with_the_right_feature_count()
    {
        string path = Path.Combine(_dir, "features.geojson");
        GeoJsonWriter.WriteFile(path, SampleFeatures());
        string info = Ogrinfo(path);
        info.Should().Contain("Feature Count: 3");
        string points = Path.Combine(_dir, "points.geojson");
        GeoJsonWriter.WriteFile(points, Enumerable.Range(0, 5).Select(i => Feature(F.CreatePoint(new Coordinate(i, i)),
            new AttributesTable { { "name", $"site_{i + 1}" }, { "mean", i / 10.0 } })), indented: true);
        string pinfo = Ogrinfo(points);
        pinfo.Should().Contain("Feature Count: 5").And.Contain("Geometry: Point").And.Contain("name: String").And.Contain("mean: Real");
        Directory.GetFiles(_dir).Should().HaveCount(2, "no temporary file is left");
    }

    [Fact]
    public void Empty_collection_is_valid()
    {
        string path = Path.Combine(_dir, "empty.geojson");
        GeoJsonWriter.WriteFile(path, []);
        File.ReadAllText(path).Should().Be("""{"type":"FeatureCollection","features":[]}""");
        GeoJsonReader.ReadFeaturesFile(path).Should().BeEmpty();
        Ogrinfo(path).Should().Contain("Feature Count: 0");
    }

    [Fact]
    public void NaN_is_refused_by_name_and_a_failed_write_leaves_the_old_file()
    {
        string path = Path.Combine(_dir, "sites.geojson");
        GeoJsonWriter.WriteFile(path, SampleFeatures());
        var before = File.ReadAllText(path);

        var nanProperty = () => GeoJsonWriter.WriteFile(path, [Feature(F.CreatePoint(new Coordinate(0, 0))),
            Feature(F.CreatePoint(new Coordinate(0, 0)), new AttributesTable { { "mean", double.NaN } })]);
        var nanPosition = () => GeoJsonWriter.ToJson([Feature(F.CreatePoint(new Coordinate(double.NaN, 1)))]);

        nanProperty.Should().Throw<ArgumentException>().WithMessage("GeoJSON property 'mean' of features[1] is NaN; JSON has no NaN or Infinity.");
        nanPosition.Should().Throw<ArgumentException>().WithMessage("GeoJSON features[0] has the position (NaN, 1)*");
        File.ReadAllText(path).Should().Be(before);
        Directory.GetFiles(_dir).Should().ContainSingle();
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
