using Detect.Cli;
using Detect.Engine.Cli;
using Detect.Engine.Storage;
using Detect.Tasks.Geo.GeoJson;
using Detect.Tasks.Imagery;
using Detect.Tasks.Models;
using Detect.Synthetic;
using Detect.Tasks.Tiling;

namespace Detect.Tasks.Tests.Cli;

/// <summary>
/// A truncated COG in the store (a copy cut short): `detect run Heatmap` exits 1, its summary names the scene item
/// and the asset, nothing prints a stack trace, and no heatmap (nor any partial file) is left in the store.
/// </summary>
public sealed class TruncatedImageryCliTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("detect-cli-truncated-").FullName;
    private string StorePath => Path.Combine(_root, "store");
    private SyntheticTruth _truth = null!;

    public async Task InitializeAsync()
    {
        using var store = new LocalObjectStore(StorePath);
        var roiFile = Path.Combine(RepositoryRoot.SharedData, "roi", "test_patch.geojson");
        await store.PublishFileAsync("boundaries/test_patch.geojson", roiFile);
        _truth = await SyntheticImageryGenerator.GenerateAsync(store, new SyntheticOptions
        {
            Roi = GeoJsonReader.ReadAreaFile(roiFile), Start = new DateOnly(2019, 1, 1), End = new DateOnly(2019, 10, 1), RevisitDays = 30,
        }, Directory.CreateDirectory(Path.Combine(_root, "scratch")).FullName, publishTruth: false);
        await new ModelImporter().ImportAsync(Path.Combine(RepositoryRoot.SharedData, "models", "keras"), store);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_truncated_cog_fails_the_run_with_exit_1_naming_item_and_asset_and_leaves_no_heatmap()
    {
        using var store = new LocalObjectStore(StorePath);
        var item = await SceneCatalog.ReadItemAsync(store, _truth.ItemKeys.Order(StringComparer.Ordinal).First());
        var red = item.GdalPath("red");
        var bytes = await File.ReadAllBytesAsync(red);
        await File.WriteAllBytesAsync(red, bytes[..(bytes.Length / 2)]);
        var tile = RoiTiler.Cover(GeoJsonReader.ReadAreaFile(Path.Combine(RepositoryRoot.SharedData, "roi", "test_patch.geojson"))).Single();
        var filesBefore = Directory.EnumerateFiles(StorePath, "*", SearchOption.AllDirectories).Where(f => !f.Contains("/.detect/")).ToHashSet();

        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await DetectApp.Create(stdout, stderr).RunAsync([
            "run", "Heatmap", "--run-id", "truncated", "--tile", tile.Id, "--start-date", "2019-01-01", "--end-date", "2019-10-01",
            "--device", "cpu", "--store", StorePath, "--cache-dir", Path.Combine(_root, "cache")]);

        code.Should().Be(CliApp.Failure, stderr.ToString());
        var output = stdout.ToString();
        output.Should().Contain("Result: FAILED").And.Contain(item.Id).And.Contain("red");
        (output + stderr).Should().NotContain("   at ");
        File.Exists(Path.Combine(StorePath, "runs", "truncated", "heatmaps", $"{tile.Id}_median.tif")).Should().BeFalse();
        var written = Directory.EnumerateFiles(StorePath, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/.detect/") && !filesBefore.Contains(f)).ToList();
        written.Should().OnlyContain(f => f.EndsWith(".tif", StringComparison.Ordinal) && f.Contains("/mosaics/") ||
                                          f.EndsWith(".json", StringComparison.Ordinal) && f.Contains("/scenes/"),
            "only the scene record and mosaics of periods without the truncated scene may complete; nothing partial is published");
    }
}
