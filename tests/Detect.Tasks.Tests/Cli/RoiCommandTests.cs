using Detect.Cli;
using Detect.Tasks.Geo.GeoJson;
using Detect.Tasks.Tests.Gdal;

namespace Detect.Tasks.Tests.Cli;

/// <summary>`detect roi add`: checked, repaired with a warning, written atomically; bad names and files are usage errors.</summary>
public sealed class RoiCommandTests : IDisposable
{
    private readonly TempDir _dir = new();
    private string Store => _dir.File("store");

    public void Dispose() => _dir.Dispose();

    private async Task<(int Code, string Stdout, string Stderr)> Cli(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await DetectApp.Create(stdout, stderr).RunAsync(args);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private string File(string name, string json)
    {
        var path = _dir.File(name);
        System.IO.File.WriteAllText(path, json);
        return path;
    }

    private static string Polygon(string ring) => $"{{\"type\":\"Feature\",\"properties\":{{}},\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":[{ring}]}}}}";

    [Fact]
    public async Task A_shared_roi_is_added_and_read_back_as_the_same_area()
    {
        var source = Path.Combine(RepositoryRoot.SharedData, "roi", "bali.geojson");

        var (code, stdout, stderr) = await Cli("roi", "add", "bali", source, "--store", Store);

        code.Should().Be(0, stderr);
        stdout.Should().Contain("added ROI 'bali'");
        var written = Path.Combine(Store, "boundaries", "bali.geojson");
        GeoJsonReader.ReadAreaFile(written).Area.Should().BeApproximately(GeoJsonReader.ReadAreaFile(source).Area, 1e-9);
        Directory.GetFiles(Path.Combine(Store, "boundaries")).Should().ContainSingle("no temporary file is left beside it");
        System.IO.File.ReadAllBytes(written)[0].Should().Be((byte)'{', "GeoJSON text has no byte order mark (RFC 8259 §8.1)");
        (await Cli("roi", "add", "bali", source, "--store", Store)).Stdout.Should().Contain("already holds this ROI");
        (await Cli("roi", "list", "--store", Store)).Stdout.Should().Contain("bali");
    }

    [Fact]
    public async Task An_invalid_ring_is_repaired_with_a_warning()
    {
        // A bow-tie: the ring crosses itself at (1, 1).
        var bowtie = File("bowtie.geojson", Polygon("[[0,0],[2,2],[2,0],[0,2],[0,0]]"));

        var (code, _, stderr) = await Cli("roi", "add", "bowtie", bowtie, "--store", Store);

        code.Should().Be(0, stderr);
        stderr.Should().Contain("warning:").And.Contain("invalid").And.Contain("repaired");
        var written = GeoJsonReader.ReadAreaFile(Path.Combine(Store, "boundaries", "bowtie.geojson"));
        written.IsValid.Should().BeTrue();
        written.Area.Should().BeApproximately(2.0, 1e-9, "the two triangles of the bow-tie");
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("a/b")]
    [InlineData("")]
    [InlineData(".hidden")]
    public async Task Names_that_would_escape_the_key_space_are_usage_errors(string name)
    {
        var (code, _, stderr) = await Cli("roi", "add", name, Path.Combine(RepositoryRoot.SharedData, "roi", "bali.geojson"), "--store", Store);

        code.Should().Be(2);
        stderr.Should().Contain($"'{name}' is not an ROI name");
        Directory.Exists(Path.Combine(Store, "boundaries")).Should().BeFalse();
    }

    [Theory]
    [InlineData("projected", "[[500000,9000000],[501000,9000000],[501000,9001000],[500000,9000000]]", "outside WGS84")]
    [InlineData("line", null, "LineString")]
    [InlineData("broken", "", "not valid JSON")]
    [InlineData("unclosed", "[[0,0],[1,0],[1,1],[0,1]]", "the Feature: the exterior ring of a polygon is not closed: it starts at [0, 0] and ends at [0, 1]")]
    [InlineData("triangle", "[[0,0],[1,0],[0,0]]", "a ring needs at least 4 positions")]
    [InlineData("nan", "[[NaN,0],[1,0],[1,1],[NaN,0]]", "is not valid JSON")]
    [InlineData("overflow", "[[0,0],[1e400,0],[1,1],[0,0]]", "the position [1e400,0] is not [longitude, latitude]")]
    public async Task Files_that_are_not_wgs84_polygons_are_usage_errors(string name, string? ring, string message)
    {
        var json = ring switch
        {
            null => "{\"type\":\"LineString\",\"coordinates\":[[0,0],[1,1]]}",
            "" => "{\"type\": \"Feature\", ",
            _ => Polygon(ring),
        };

        var (code, _, stderr) = await Cli("roi", "add", name, File(name + ".geojson", json), "--store", Store);

        code.Should().Be(2);
        stderr.Should().Contain(message);
        Directory.Exists(Path.Combine(Store, "boundaries")).Should().BeFalse("nothing is written");
    }

    [Fact]
    public async Task An_roi_written_by_an_earlier_version_with_other_member_order_counts_as_the_same()
    {
        // The hand-written writer put "properties" before "geometry"; GeoJSON4STJ writes them the other way round.
        var source = File("square.geojson", Polygon("[[0,0],[0,1],[1,1],[1,0],[0,0]]")); // clockwise: written the other way round
        var stored = Path.Combine(Store, "boundaries", "square.geojson");
        Directory.CreateDirectory(Path.GetDirectoryName(stored)!);
        System.IO.File.WriteAllText(stored, "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"name\":\"square\"}," +
                                            "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}}]}");

        var (code, stdout, stderr) = await Cli("roi", "add", "square", source, "--store", Store);

        code.Should().Be(0, stderr);
        stdout.Should().Contain("already holds this ROI");
        (await Cli("roi", "add", "square", File("other.geojson", Polygon("[[0,0],[2,0],[2,2],[0,2],[0,0]]")), "--store", Store))
            .Stderr.Should().Contain("exists with other polygons");
    }

    [Fact]
    public async Task A_run_on_a_store_without_the_roi_names_it_and_the_command_that_adds_it()
    {
        var (code, stdout, _) = await Cli("run", "Detect", "--roi", "nowhere", "--store", Store, "--cache-dir", _dir.File("cache"));

        code.Should().Be(1);
        stdout.Should().Contain("boundaries/nowhere.geojson").And.Contain("detect roi add nowhere");
    }
}
