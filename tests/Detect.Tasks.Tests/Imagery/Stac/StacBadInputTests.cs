using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Detect.Tasks.Tests.Imagery.Stac;

/// <summary>
/// Bad imagery input on the STAC fixture: each fails with exit 1 (2 for a bad --imagery value), a message naming the
/// URL, item or href, and leaves no record or heatmap behind.
/// </summary>
[Collection(EarthSearchRunCollection.Name)]
public sealed class StacBadInputTests(EarthSearchRunFixture run)
{
    private static int _runs;
    private string TileId => Directory.GetFiles(run.PathOf(run.RunFolder + "scenes"), "*.json").Select(Path.GetFileNameWithoutExtension).Single()!;

    /// <summary>Runs one tile's Heatmap (and so its TileScenes) in a fresh run id; returns the CLI result and the run folder.</summary>
    private async Task<(int Code, string Output, string RunFolder)> RunTileAsync(params string[] imagery)
    {
        var runId = $"bad-input-{Interlocked.Increment(ref _runs)}";
        var (code, stdout, stderr) = await run.CliAsync(["run", "Heatmap", "--run-id", runId, "--tile", TileId, "--roi", "test_patch",
            "--start-date", $"{EarthSearchRunFixture.Start:yyyy-MM-dd}", "--end-date", $"{EarthSearchRunFixture.End:yyyy-MM-dd}",
            "--imagery-s3-endpoint", run.Relay.Endpoint, "--device", "cpu", .. imagery]);
        return (code, stdout + stderr, $"runs/{runId}/");
    }

    private void ShouldLeaveNothing(string runFolder, bool recordMayExist = false)
    {
        File.Exists(run.PathOf($"{runFolder}heatmaps/{TileId}_median.tif")).Should().BeFalse("a failed run leaves no heatmap");
        if (!recordMayExist) File.Exists(run.PathOf($"{runFolder}scenes/{TileId}.json")).Should().BeFalse("a failed search leaves no record");
        Directory.Exists(run.PathOf(runFolder)) .Should().Be(recordMayExist, "nothing partial in the store");
    }

    /// <summary>A collection of one scene: a copy of a real L1C item with one band href changed.</summary>
    private string BadCollection(string name, Func<JsonObject, JsonObject> edit)
    {
        var template = run.Catalog.L1cItems.First(i => run.Catalog.PlainIds.Contains(i["id"]!.GetValue<string>()));
        var item = edit((JsonObject)template.DeepClone());
        run.Api.Collections[name] = [item];
        return name;
    }

    [Fact]
    public async Task An_unreachable_api_fails_naming_its_url()
    {
        int port;
        using (var socket = new TcpListener(IPAddress.Loopback, 0)) { socket.Start(); port = ((IPEndPoint)socket.LocalEndpoint).Port; }
        var url = $"http://127.0.0.1:{port}/v1";

        var (code, output, folder) = await RunTileAsync("--imagery", url);

        code.Should().Be(1, output);
        output.Should().Contain(url).And.Contain("unreachable");
        ShouldLeaveNothing(folder);
    }

    [Fact]
    public async Task A_search_answering_500_three_times_fails_after_three_attempts()
    {
        run.Api.FailNextSearches(3);
        try
        {
            var (code, output, folder) = await RunTileAsync("--imagery", run.Api.Root);

            code.Should().Be(1, output);
            output.Should().Contain($"{run.Api.Root}/search").And.Contain("500").And.Contain("after 3 attempt(s)");
            ShouldLeaveNothing(folder);
        }
        finally { run.Api.ClearFaults(); }
    }

    [Fact]
    public async Task Malformed_json_fails_naming_the_url()
    {
        run.Api.MalformNextSearch();
        try
        {
            var (code, output, folder) = await RunTileAsync("--imagery", run.Api.Root);

            code.Should().Be(1, output);
            output.Should().Contain($"{run.Api.Root}/search").And.Contain("malformed JSON");
            ShouldLeaveNothing(folder);
        }
        finally { run.Api.ClearFaults(); }
    }

    [Fact]
    public async Task An_item_without_datetime_fails_naming_the_item()
    {
        var collection = BadCollection("bad-datetime", i => { i["id"] = "S2B_NO_DATETIME_L1C"; i["properties"]!.AsObject().Remove("datetime"); return i; });

        var (code, output, folder) = await RunTileAsync("--imagery", run.Api.Root, "--collection", collection, "--cloud-mask", "none");

        code.Should().Be(1, output);
        output.Should().Contain("S2B_NO_DATETIME_L1C").And.Contain("datetime");
        ShouldLeaveNothing(folder);
    }

    [Fact]
    public async Task An_unknown_collection_fails_listing_the_apis_collections()
    {
        var (code, output, folder) = await RunTileAsync("--imagery", run.Api.Root, "--collection", "sentinel-2-l9z");

        code.Should().Be(1, output);
        output.Should().Contain("no collection 'sentinel-2-l9z'").And.Contain(EarthSearchCatalog.L1c).And.Contain(EarthSearchCatalog.L2a);
        ShouldLeaveNothing(folder);
    }

    [Theory]
    [InlineData("404")]
    [InlineData("403")]
    [InlineData("not-a-raster")]
    public async Task A_bad_asset_fails_naming_scene_asset_and_href(string fault)
    {
        var href = $"s3://{EarthSearchRunFixture.Bucket}/" + fault switch
        {
            "404" => "tiles/absent/B02.jp2",
            "403" => RequesterPaysRelay.DeniedPrefix + "B02.jp2",
            _ => "tiles/garbage/B02.jp2",
        };
        if (fault == "not-a-raster")
        {
            var text = Path.Combine(run.Root, "garbage.jp2");
            await File.WriteAllTextAsync(text, "this is not a JPEG 2000 file");
            await run.ImageryBucket.PublishFileAsync("tiles/garbage/B02.jp2", text);
        }
        var collection = BadCollection($"bad-{fault}", i => { i["id"] = $"S2B_BAD_{fault}_L1C"; i["assets"]!["blue"]!["href"] = href; return i; });

        var (code, output, folder) = await RunTileAsync("--imagery", run.Api.Root, "--collection", collection, "--cloud-mask", "none");

        code.Should().Be(1, output);
        output.Should().Contain($"S2B_BAD_{fault}_L1C").And.Contain("'blue'").And.Contain(href);
        if (fault == "404") output.Should().Contain("404");
        if (fault == "403") output.Should().Contain("403").And.Contain("requester-pays").And.Contain("credentials");
        ShouldLeaveNothing(folder, recordMayExist: true);
        File.Exists(run.PathOf($"{folder}scenes/{TileId}.json")).Should().BeTrue("the search itself succeeded and was recorded");
    }

    [Theory]
    [InlineData("earthsearch")]
    [InlineData("ftp://example.org/stac")]
    [InlineData("")]
    public async Task An_imagery_value_that_is_neither_preset_nor_url_is_a_usage_error(string value)
    {
        var (code, stdout, stderr) = await run.CliAsync(["run", "Detect", "--roi", "test_patch", "--imagery", value]);

        code.Should().Be(2, stdout + stderr);
        stderr.Should().Contain($"--imagery '{value}'").And.Contain("earth-search").And.Contain("URL");
        stdout.Should().NotContain("Execution summary", "nothing ran");

        var scenes = await run.CliAsync(["scenes", "--roi", "test_patch", "--imagery", value]);
        scenes.Code.Should().Be(2, scenes.Stderr);
    }
}
