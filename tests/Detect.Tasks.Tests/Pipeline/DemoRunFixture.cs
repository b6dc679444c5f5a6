using Detect.Engine;
using Detect.Engine.Scheduling;
using Detect.Engine.Storage;
using Detect.Tasks.Geo.GeoJson;
using Detect.Tasks.Models;
using Detect.Synthetic;
using DetectTask = Detect.Tasks.Pipeline.Detect;

namespace Detect.Tasks.Tests.Pipeline;

/// <summary>
/// One full Detect run on test_patch, shared by the end-to-end tests: a temporary local store seeded with the
/// ROI and the real models from ../shared and synthetic imagery with planted sites and decoys.
/// </summary>
public sealed class DemoRunFixture : IAsyncLifetime
{
    public string Root { get; } = Directory.CreateTempSubdirectory("detect-e2e-").FullName;
    public LocalObjectStore Store { get; private set; } = null!;
    public TargetResolver Resolver { get; private set; } = null!;
    public SyntheticTruth Truth { get; private set; } = null!;
    public DetectTask Detect { get; } = new() { Roi = "test_patch", Device = Inference.InferenceDevice.Cpu };
    public ExecutionSummary FirstRun { get; private set; } = null!;
    public string RunFolder => $"runs/{Detect.ResolvedRunId}/";

    public static TaskRegistry Registry { get; } = new(TasksAssembly.Assembly);

    public async Task InitializeAsync()
    {
        Store = new LocalObjectStore(Path.Combine(Root, "store"));
        Resolver = new TargetResolver(Store, Path.Combine(Root, "cache"));
        var roiFile = Path.Combine(RepositoryRoot.SharedData, "roi", "test_patch.geojson");
        await Store.PublishFileAsync("boundaries/test_patch.geojson", roiFile);
        await new ModelImporter().ImportAsync(Path.Combine(RepositoryRoot.SharedData, "models", "keras"), Store);
        Truth = await SyntheticImageryGenerator.GenerateAsync(Store, new SyntheticOptions
        {
            Roi = GeoJsonReader.ReadAreaFile(roiFile),
            Start = new DateOnly(2019, 1, 1),
            End = new DateOnly(2021, 6, 1),
        }, Directory.CreateDirectory(Path.Combine(Root, "scratch")).FullName);
        FirstRun = await RunAsync();
    }

    public Task<ExecutionSummary> RunAsync() =>
        new Scheduler(Registry, Resolver, new SchedulerOptions { Workers = 2, StagingDirectory = Path.Combine(Root, "staging") }).RunAsync(Detect);

    public string PathOf(string key) => Store.PathOf(key);

    public Task DisposeAsync()
    {
        Resolver.Dispose();
        Directory.Delete(Root, recursive: true);
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class DemoRunCollection : ICollectionFixture<DemoRunFixture>
{
    public const string Name = "one Detect run on synthetic imagery";
}
