using Detect.Engine;
using Detect.Engine.Scheduling;
using Detect.Engine.Storage;
using Detect.Tasks.Geo.GeoJson;
using Detect.Tasks.Imagery;
using Detect.Tasks.Models;
using Detect.Tasks.Pipeline;
using Detect.Synthetic;
using Detect.Tasks.Tiling;

namespace Detect.Tasks.Tests.Pipeline;

/// <summary>Bad imagery fails the Heatmap task with a message naming the item and asset, and writes no heatmap.</summary>
public sealed class HeatmapFailureTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("detect-heatmap-fail-").FullName;
    private LocalObjectStore _store = null!;
    private SyntheticTruth _truth = null!;

    public async Task InitializeAsync()
    {
        _store = new LocalObjectStore(Path.Combine(_root, "store"));
        var roi = GeoJsonReader.ReadAreaFile(Path.Combine(RepositoryRoot.SharedData, "roi", "test_patch.geojson"));
        await _store.PublishFileAsync("boundaries/test_patch.geojson", Path.Combine(RepositoryRoot.SharedData, "roi", "test_patch.geojson"));
        _truth = await SyntheticImageryGenerator.GenerateAsync(_store, new SyntheticOptions
        {
            Roi = roi, Start = new DateOnly(2019, 1, 1), End = new DateOnly(2019, 10, 1), RevisitDays = 30,
        }, Directory.CreateDirectory(Path.Combine(_root, "scratch")).FullName, publishTruth: false);
        await new ModelImporter().ImportAsync(Path.Combine(RepositoryRoot.SharedData, "models", "keras"), _store);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }

    private async Task<(ExecutionSummary Summary, Heatmap Task)> RunHeatmapAsync()
    {
        var tile = RoiTiler.Cover(GeoJsonReader.ReadAreaFile(Path.Combine(RepositoryRoot.SharedData, "roi", "test_patch.geojson"))).Single();
        var task = new Heatmap
        {
            RunId = "failing", Tile = tile.Id, StartDate = new DateOnly(2019, 1, 1), EndDate = new DateOnly(2019, 10, 1),
            MosaicPeriod = 3, SpectrogramInterval = 2, Device = Inference.InferenceDevice.Cpu,
        };
        using var resolver = new TargetResolver(_store, Path.Combine(_root, "cache"));
        var summary = await new Scheduler(new TaskRegistry(TasksAssembly.Assembly), resolver,
            new SchedulerOptions { StagingDirectory = Path.Combine(_root, "staging") }).RunAsync(task);
        return (summary, task);
    }

    private string FirstItemKey => _truth.ItemKeys.Order(StringComparer.Ordinal).First();

    [Fact]
    public async Task A_corrupt_band_fails_naming_the_item_and_asset_and_writes_no_heatmap()
    {
        var item = await SceneCatalog.ReadItemAsync(_store, FirstItemKey);
        var redPath = item.GdalPath("red");
        await File.WriteAllBytesAsync(redPath, "II*\0 this is not a GeoTIFF"u8.ToArray());

        var (summary, task) = await RunHeatmapAsync();

        summary.RootComplete.Should().BeFalse();
        summary.With(TaskOutcome.Failed).Single().Reason.Should().Contain(item.Id).And.Contain("red");
        File.Exists(_store.PathOf(task.HeatmapTarget.Key)).Should().BeFalse();
    }

    [Fact]
    public async Task A_missing_asset_fails_naming_the_item_and_asset_and_writes_no_heatmap()
    {
        var item = await SceneCatalog.ReadItemAsync(_store, FirstItemKey);
        File.Delete(item.GdalPath("swir16"));

        var (summary, task) = await RunHeatmapAsync();

        summary.RootComplete.Should().BeFalse();
        summary.With(TaskOutcome.Failed).Single().Reason.Should().Contain(item.Id).And.Contain("swir16");
        File.Exists(_store.PathOf(task.HeatmapTarget.Key)).Should().BeFalse();
    }
}
