using Detect.Engine.Scheduling;
using Detect.Tasks.Imagery;
using Detect.Tasks.Native.Gdal;

namespace Detect.Tasks.Tests.S3Pipeline;

/// <summary>
/// The whole Detect graph with <c>--store s3://...</c> against a real Swift server: outputs in the bucket, rasters
/// read in place through /vsis3/, `detect status` and `detect clean` on S3, and a deleted output rerunning only
/// its task and what depends on it. Every test leaves the run complete again.
/// </summary>
[Collection(S3DemoRunCollection.Name)]
public sealed class DetectOnS3Tests(S3DemoRunFixture run)
{
    private static readonly string[] FinalOutputs =
        ["output/sites.geojson", "output/sites_with_metadata.geojson", "output/contours.geojson", "candidates/candidates.geojson", "heatmaps/tiles.json"];

    [Fact]
    public async Task Detect_on_s3_completes_with_its_outputs_in_the_bucket_and_reads_rasters_in_place()
    {
        var (code, stdout, stderr) = run.FirstRun;
        code.Should().Be(0, stdout + stderr);
        stdout.Should().Contain("Result: success").And.Contain($"{S3DemoRunFixture.StoreUri}/{run.RunFolder}output/contours.geojson");

        var keys = await run.Store.ListAsync(run.RunFolder);
        keys.Should().Contain(FinalOutputs.Select(k => run.RunFolder + k));
        keys.Should().Contain(k => k.StartsWith(run.RunFolder + "heatmaps/") && k.EndsWith(".tif"));
        (await run.Store.ListAsync(".detect/leases/")).Should().BeEmpty("every lease was released");
        var downloadedRasters = Directory.Exists(run.CacheDir)
            ? Directory.GetFiles(run.CacheDir, "*.tif", SearchOption.AllDirectories) : [];
        downloadedRasters.Should().BeEmpty("rasters in the bucket are read through /vsis3/, not downloaded");
    }

    [Fact]
    public async Task The_secret_appears_in_no_output_of_the_run_nor_in_what_the_cli_printed()
    {
        var secret = Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY");
        secret.Should().NotBeNullOrEmpty("the fixture's server exported its credentials");
        (run.FirstRun.Stdout + run.FirstRun.Stderr).Should().NotContain(secret);
        var textKeys = (await run.Store.ListAsync(run.RunFolder)).Where(k => k.EndsWith(".json") || k.EndsWith(".geojson")).ToList();
        textKeys.Should().NotBeEmpty();
        foreach (var key in textKeys)
        {
            using var reader = new StreamReader(await run.Store.OpenReadAsync(key));
            (await reader.ReadToEndAsync()).Should().NotContain(secret, key);
        }
    }

    [Fact]
    public async Task Scene_assets_on_s3_open_through_vsis3_with_the_store_endpoint()
    {
        var key = (await run.Store.ListAsync(SceneCatalog.ItemsPrefix)).First(k => k.EndsWith(".json"));
        var item = await SceneCatalog.ReadItemAsync(run.Store, key);
        var access = new SceneAccess(run.Store, ImageryOptions.Store, new Dictionary<string, BucketAccess>());
        var asset = SentinelBands.RequiredAssets.First();

        using var dataset = access.Open(item.Id, asset, item.AssetUris[asset]);
        dataset.Path.Should().StartWith($"/vsis3/{S3DemoRunFixture.Bucket}/e2e/imagery/");
        dataset.BandCount.Should().Be(1);
        SceneCatalog.EnsureReadable(item);
        GdalS3.EffectiveOption(S3DemoRunFixture.Bucket, "AWS_S3_ENDPOINT").Should().Be(new Uri(run.Endpoint).Authority);
        GdalS3.EffectiveOption(S3DemoRunFixture.Bucket, "AWS_HTTPS").Should().Be("NO");
        GdalS3.EffectiveOption(S3DemoRunFixture.Bucket, "AWS_VIRTUAL_HOSTING").Should().Be("FALSE");
    }

    [Fact]
    public async Task Status_on_s3_reports_the_run_complete_and_names_the_outputs()
    {
        var (code, stdout, stderr) = await run.CliAsync(["status", "Detect", .. S3DemoRunFixture.DetectArgs]);

        code.Should().Be(0, stderr);
        stdout.Should().Contain($"{run.Detect.TaskId} is complete.")
            .And.Contain($"exists  {S3DemoRunFixture.StoreUri}/{run.RunFolder}output/sites.geojson")
            .And.NotContain("[pending ]");
    }

    [Fact]
    public async Task Clean_on_s3_deletes_the_outputs_in_the_bucket_and_status_then_shows_them_missing()
    {
        var contours = run.RunFolder + "output/contours.geojson";
        var (code, stdout, stderr) = await run.CliAsync(["clean", "GenerateContourForSites", .. S3DemoRunFixture.DetectArgs,
            "--run-id", run.Detect.ResolvedRunId, "--device", "cpu"]);

        code.Should().Be(0, stderr);
        stdout.Should().Contain($"deleted {S3DemoRunFixture.StoreUri}/{contours}");
        (await run.Store.ExistsAsync(contours)).Should().BeFalse();
        var status = await run.CliAsync(["status", "Detect", .. S3DemoRunFixture.DetectArgs]);
        status.Stdout.Should().Contain($"missing {S3DemoRunFixture.StoreUri}/{contours}").And.Contain($"{run.Detect.TaskId} is not complete.");

        var rerun = await run.RunAsync();
        rerun.RootComplete.Should().BeTrue(rerun.Render());
        rerun.With(TaskOutcome.Ran).Select(r => r.Family).Should().BeEquivalentTo(["GenerateContourForSites", "Detect"]);
        (await run.Store.ExistsAsync(contours)).Should().BeTrue();
    }

    [Fact]
    public async Task Deleting_sites_geojson_in_the_bucket_reruns_only_that_task_and_its_dependents()
    {
        await run.Store.DeleteAsync(run.RunFolder + "output/sites.geojson");

        var rerun = await run.RunAsync();

        rerun.RootComplete.Should().BeTrue(rerun.Render());
        rerun.With(TaskOutcome.Ran).Select(r => r.Family).Should().BeEquivalentTo(
            ["ComparePatchClassifier", "Geocode", "GenerateContourForSites", "Detect"]);
        (await run.Store.ExistsAsync(run.RunFolder + "output/sites.geojson")).Should().BeTrue();
        (await run.RunAsync()).With(TaskOutcome.Ran).Should().BeEmpty("nothing is missing any more");
    }
}
