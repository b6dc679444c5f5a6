using Detect.Engine.Scheduling;
using Detect.Tasks.Geo.GeoJson;
using Detect.Tasks.Analysis.Sites;
using Detect.Tasks.Imagery;
using Detect.Tasks.Tiling;

namespace Detect.Tasks.Tests.Stac;

/// <summary>
/// The whole Detect graph with <c>--imagery &lt;local STAC API&gt;</c>: planted sites found and decoys ignored, every
/// imagery read asked as requester-pays, the scenes recorded per tile and reused, `status` and rerun-by-deleting as
/// with the static store. Every test leaves the run complete again.
/// </summary>
[Collection(EarthSearchRunCollection.Name)]
public sealed class DetectOnStacApiTests(EarthSearchRunFixture run)
{
    private string TileId => Directory.GetFiles(run.PathOf(run.RunFolder + "scenes"), "*.json").Select(Path.GetFileNameWithoutExtension).Single()!;
    private string RecordPath => run.PathOf($"{run.RunFolder}scenes/{TileId}.json");
    private SceneRecord Record => SceneRecordJson.Read(File.ReadAllText(RecordPath), RecordPath);

    [Fact]
    public async Task Detect_on_the_stac_api_finds_every_planted_site_and_no_decoy()
    {
        var (code, stdout, stderr) = run.FirstRun;
        code.Should().Be(0, stdout + stderr);
        stdout.Should().Contain("Result: success").And.Contain("scenes").And.Contain("1 skipped");
        var sites = SiteFeatures.FromFeatures(GeoJsonReader.ReadFeaturesFile(run.PathOf(run.RunFolder + "output/sites.geojson")), "sites.geojson");
        foreach (var planted in run.Truth.Sites)
            sites.Should().Contain(s => Pipeline.DetectEndToEndTests.Metres(s.Lon, s.Lat, planted.Lon, planted.Lat) <= 50, $"{planted.Name} at {planted.Lat}, {planted.Lon}\n{stdout}");
        foreach (var decoy in run.Truth.Decoys)
            sites.Should().NotContain(s => Pipeline.DetectEndToEndTests.Metres(s.Lon, s.Lat, decoy.Lon, decoy.Lat) <= 100, decoy.Name);
    }

    [Fact]
    public void Every_imagery_read_asked_for_requester_pays_and_scl_masks_came_over_http_with_range_reads()
    {
        var reads = run.FirstRunReads;
        reads.Should().NotBeEmpty("the L1C JP2 bands are read from the bucket through the relay");
        reads.Should().OnlyContain(r => r.RequesterPays, "AWS_REQUEST_PAYER=requester is set on the imagery bucket");
        var others = reads.Where(r => !(r.Path.StartsWith($"/{EarthSearchRunFixture.Bucket}/tiles/") && r.Path.EndsWith(".jp2"))).Select(r => r.Path).Distinct().ToList();
        others.Should().BeEmpty("only the band files are read: no listings, no side-car probes");
        reads.Should().NotContain(r => r.Path.Contains("/missing/") || r.Path.Contains("/cloudy/"),
            "the older duplicate and the too-cloudy scene are never read");
        run.Cogs.Paths.Should().Contain(p => p.EndsWith("/SCL.tif"));
        run.Api.Requests.Should().OnlyContain(r => r.UserAgent.StartsWith("Detect/"));
    }

    [Fact]
    public void The_tile_record_holds_the_scenes_with_baselines_offsets_and_scl_masks_and_lists_what_it_skipped()
    {
        var record = Record;
        var ids = record.Scenes.Select(s => s.Id).ToList();
        ids.Should().Contain(run.Catalog.DuplicateNewId).And.NotContain(run.Catalog.DuplicateOldId, "duplicates keep the newest baseline");
        ids.Should().NotContain(run.Catalog.CloudyId, "eo:cloud_cover 95 is above --max-cloud-cover 80");
        record.Skipped.Should().ContainSingle(s => s.Id == run.Catalog.NoSiblingId).Which.Reason.Should().Contain("L2A sibling");
        record.Scenes.Should().OnlyContain(s => s.Mask.Source == CloudMaskMode.Scl && s.Mask.Href!.EndsWith("/SCL.tif"));
        record.Scenes.Where(s => run.Catalog.OffsetIds.Contains(s.Id)).Should().NotBeEmpty().And.OnlyContain(s => s.Offset == 1000);
        record.Scenes.Where(s => run.Catalog.PlainIds.Contains(s.Id)).Should().NotBeEmpty().And.OnlyContain(s => s.Offset == 0);
        record.Scenes.Should().OnlyContain(s => s.Bands.Count == 12 && s.Bands["blue"].StartsWith($"s3://{EarthSearchRunFixture.Bucket}/"));
        record.Buckets[EarthSearchRunFixture.Bucket].RequesterPays.Should().BeTrue();
        run.Api.Requests.Count(r => r.Path == "/v1/search").Should().BeGreaterThan(2, "results came in pages of 4, after one 429");
    }

    [Fact]
    public async Task Status_reports_the_run_complete_including_the_scene_records()
    {
        var (code, stdout, stderr) = await run.CliAsync(["status", "Detect", .. run.DetectArgs]);

        code.Should().Be(0, stderr);
        stdout.Should().Contain($"{run.Detect.TaskId} is complete.").And.Contain($"scenes/{TileId}.json").And.NotContain("[pending ]");
    }

    [Fact]
    public async Task Reruns_read_the_record_not_the_catalog_and_deleting_the_record_searches_again()
    {
        var before = await File.ReadAllTextAsync(RecordPath);
        var l1c = run.Api.Collections[EarthSearchCatalog.L1c];
        var removedId = run.Catalog.PlainIds.First(id => id != run.Catalog.NoSiblingId && id != run.Catalog.DuplicateNewId);
        var removed = l1c.First(i => i["id"]!.GetValue<string>() == removedId);
        try
        {
            // The catalog changes: a scene disappears. A deleted heatmap reruns from the record, without a search.
            l1c.Remove(removed);
            var searches = run.Api.SearchRequests;
            File.Delete(Directory.GetFiles(run.PathOf(run.RunFolder + "heatmaps"), "*_median.tif").Single());

            var afterHeatmap = await run.RunAsync();

            afterHeatmap.RootComplete.Should().BeTrue(afterHeatmap.Render());
            afterHeatmap.With(TaskOutcome.Ran).Select(r => r.Family).Should().Contain("Heatmap").And.NotContain(["TileScenes", "PatchTile", "SitePatch", "SiteScenes"]);
            run.Api.SearchRequests.Should().Be(searches, "later tasks read the record, never the API");
            (await File.ReadAllTextAsync(RecordPath)).Should().Be(before);

            // Deleting the record searches again (the catalog has changed) and reruns what used the tile.
            File.Delete(RecordPath);
            var afterRecord = await run.RunAsync();

            afterRecord.RootComplete.Should().BeTrue(afterRecord.Render());
            afterRecord.With(TaskOutcome.Ran).Select(r => r.Family).Should().Contain(["TileScenes", "Heatmap", "PatchTile", "ComparePatchClassifier"]);
            run.Api.SearchRequests.Should().BeGreaterThan(searches);
            Record.Scenes.Select(s => s.Id).Should().NotContain(removedId);
        }
        finally
        {
            // Back to the catalog of the first run, and its record, so the other tests see the run as it was.
            l1c.Add(removed);
            await File.WriteAllTextAsync(RecordPath, before);
            var restored = await run.RunAsync();
            restored.RootComplete.Should().BeTrue(restored.Render());
        }
    }

    [Fact]
    public async Task Scenes_lists_what_a_run_would_read_without_reading_pixels()
    {
        var reads = run.Relay.Requests.Count;
        var cogReads = run.Cogs.Requests;

        var (code, stdout, stderr) = await run.CliAsync(["scenes", .. run.DetectArgs.Where(a => a != "--imagery-s3-endpoint" && a != run.Relay.Endpoint)]);

        code.Should().Be(0, stderr);
        stdout.Should().Contain($"tile {TileId}:").And.Contain(run.Catalog.DuplicateNewId).And.Contain("05.11").And.Contain("scl of ")
            .And.Contain($"skipped {run.Catalog.NoSiblingId}").And.NotContain(run.Catalog.DuplicateOldId);
        run.Relay.Requests.Count.Should().Be(reads, "no band is read");
        run.Cogs.Requests.Should().Be(cogReads, "no mask is read");
    }
}
