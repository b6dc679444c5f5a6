using Detect.Cli;
using Detect.Engine;
using Detect.Engine.Scheduling;
using Detect.Engine.Storage.S3;
using Detect.Tasks.Geo.GeoJson;
using Detect.Tasks.Models;
using Detect.Synthetic;
using DetectTask = Detect.Tasks.Pipeline.Detect;

namespace Detect.Tasks.Tests.S3Pipeline;

/// <summary>
/// One full Detect run on test_patch with <c>--store s3://detect-e2e/e2e</c> on a real Swift server: the bucket
/// seeded like <see cref="Pipeline.DemoRunFixture"/> does (ROI, models, synthetic imagery), then `detect run`.
/// </summary>
public sealed class S3DemoRunFixture : IAsyncLifetime
{
    public const string Bucket = "detect-e2e";
    public const string StoreUri = $"s3://{Bucket}/e2e";

    private SwiftServer? _server;

    public string Root { get; } = Directory.CreateTempSubdirectory("detect-s3-e2e-").FullName;
    public string CacheDir => Path.Combine(Root, "cache");
    public S3ObjectStore Store { get; private set; } = null!;
    public string Endpoint => _server!.Endpoint;
    /// <summary>Three 3-month mosaics (the fewest one spectrogram pair needs) keep the S3 run short; the local end-to-end tests cover detection quality.</summary>
    public static readonly DateOnly Start = new(2019, 1, 1), End = new(2019, 10, 1);

    public DetectTask Detect { get; } = new() { Roi = "test_patch", StartDate = Start, EndDate = End, Device = Inference.InferenceDevice.Cpu };

    /// <summary>The Detect parameters of this run, for `detect` verbs.</summary>
    public static readonly string[] DetectArgs = ["--roi", "test_patch", "--start-date", $"{Start:yyyy-MM-dd}", "--end-date", $"{End:yyyy-MM-dd}"];
    public string RunFolder => $"runs/{Detect.ResolvedRunId}/";
    public (int Code, string Stdout, string Stderr) FirstRun { get; private set; }

    public static TaskRegistry Registry { get; } = new(TasksAssembly.Assembly);

    public async Task InitializeAsync()
    {
        _server = await SwiftServer.StartAsync(Bucket);
        Store = S3ObjectStore.Open(StoreUri, S3Settings.FromEnvironment());
        var roiFile = Path.Combine(RepositoryRoot.SharedData, "roi", "test_patch.geojson");
        await Store.PublishFileAsync("boundaries/test_patch.geojson", roiFile);
        await new ModelImporter().ImportAsync(Path.Combine(RepositoryRoot.SharedData, "models", "keras"), Store);
        await SyntheticImageryGenerator.GenerateAsync(Store, new SyntheticOptions
        {
            Roi = GeoJsonReader.ReadAreaFile(roiFile),
            Start = Start,
            End = End,
            RevisitDays = 15,
        }, Directory.CreateDirectory(Path.Combine(Root, "scratch")).FullName);
        FirstRun = await CliAsync(["run", "Detect", .. DetectArgs, "--device", "cpu", "--workers", "2"]);
    }

    /// <summary>Runs a `detect` verb in this process through <see cref="DetectApp"/>, on the S3 store, output captured.</summary>
    public async Task<(int Code, string Stdout, string Stderr)> CliAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await DetectApp.Create(stdout, stderr).RunAsync([.. args, "--store", StoreUri, "--cache-dir", CacheDir]);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs Detect with an in-process scheduler on the same S3 store, for per-task outcomes.</summary>
    public async Task<ExecutionSummary> RunAsync()
    {
        using var resolver = new TargetResolver(S3ObjectStore.Open(StoreUri, S3Settings.FromEnvironment()), CacheDir);
        try
        {
            return await new Scheduler(Registry, resolver, new SchedulerOptions { Workers = 2, StagingDirectory = Path.Combine(Root, "staging") })
                .RunAsync(Detect);
        }
        finally { resolver.DefaultStore.Dispose(); }
    }

    public async Task DisposeAsync()
    {
        Store?.Dispose();
        try { if (_server is not null) await _server.DisposeAsync(); }
        finally { Directory.Delete(Root, recursive: true); }
    }
}

/// <summary>
/// Not run in parallel with other collections: the Swift fixture exports its server's AWS_* variables into the process,
/// which the stores opened from the environment (and the STAC fixture's own Swift) would otherwise see change.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class S3DemoRunCollection : ICollectionFixture<S3DemoRunFixture>
{
    public const string Name = "one Detect run on a real S3 server";
}
