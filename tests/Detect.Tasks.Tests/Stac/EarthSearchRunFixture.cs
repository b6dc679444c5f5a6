using Detect.Cli;
using Detect.Engine;
using Detect.Engine.Scheduling;
using Detect.Engine.Storage;
using Detect.Engine.Storage.S3;
using Detect.Tasks.Geo.GeoJson;
using Detect.Tasks.Imagery;
using Detect.Tasks.Models;
using Detect.Synthetic;
using Detect.Tasks.Tests.Gdal;
using Detect.TestSupport;
using DetectTask = Detect.Tasks.Pipeline.Detect;

namespace Detect.Tasks.Tests.Stac;

/// <summary>
/// One Detect run on test_patch with <c>--imagery &lt;a local STAC API&gt;</c>: synthetic scenes rewritten in Earth Search's
/// shape (<see cref="EarthSearchCatalog"/>), L1C JP2 bands in a real Swift S3 server behind a requester-pays relay,
/// L2A SCL COGs over http:// (range reads), the API over real HTTP with paging and one 429 on the way. Outputs go to a
/// local store: the imagery lives on another service than the outputs, as on AWS.
/// </summary>
public sealed class EarthSearchRunFixture : IAsyncLifetime
{
    public const string Bucket = "sentinel-s2-l1c";
    /// <summary>Three 3-month mosaics (one spectrogram pair), as the S3 end-to-end test, to stay near a minute.</summary>
    public static readonly DateOnly Start = new(2019, 1, 1), End = new(2019, 10, 1);

    private readonly SwiftProcess _swift = new(Bucket, "detect-stac");
    public string Root { get; } = Directory.CreateTempSubdirectory("detect-stac-e2e-").FullName;
    public string CacheDir => Path.Combine(Root, "cache");
    public LocalObjectStore Store { get; private set; } = null!;
    public RequesterPaysRelay Relay { get; private set; } = null!;
    public RangeHttpServer Cogs { get; private set; } = null!;
    public StacApiServer Api { get; private set; } = null!;
    public S3ObjectStore ImageryBucket { get; private set; } = null!;
    public SyntheticTruth Truth { get; private set; } = null!;
    public EarthSearchCatalog.Built Catalog { get; private set; } = null!;
    public (int Code, string Stdout, string Stderr) FirstRun { get; private set; }
    /// <summary>What the relay saw during the first run (other tests add their own requests later).</summary>
    public IReadOnlyList<(string Method, string Path, bool RequesterPays)> FirstRunReads { get; private set; } = [];

    public DetectTask Detect => new()
    {
        Roi = "test_patch", StartDate = Start, EndDate = End, Imagery = Api.Root, ImageryS3Endpoint = Relay.Endpoint,
        Device = Inference.InferenceDevice.Cpu,
    };

    public string RunFolder => $"runs/{Detect.ResolvedRunId}/";

    public string[] DetectArgs =>
        ["--roi", "test_patch", "--start-date", $"{Start:yyyy-MM-dd}", "--end-date", $"{End:yyyy-MM-dd}", "--imagery", Api.Root,
         "--imagery-s3-endpoint", Relay.Endpoint];

    public static TaskRegistry Registry { get; } = new(TasksAssembly.Assembly);

    public async Task InitializeAsync()
    {
        // GDAL's network reads block thread-pool threads (synchronous native I/O) while this process also serves the
        // STAC API, the SCL files and the relay on pool threads: keep enough threads that neither starves the other.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), Math.Max(io, 64));
        await _swift.InstallAndStartAsync();
        Relay = new RequesterPaysRelay(_swift.Endpoint);
        ImageryBucket = S3ObjectStore.Open($"s3://{Bucket}", S3Settings.FromEnvironment());
        var httpRoot = Directory.CreateDirectory(Path.Combine(Root, "http")).FullName;
        Cogs = new RangeHttpServer(httpRoot);
        Api = new StacApiServer();

        Store = new LocalObjectStore(Path.Combine(Root, "store"));
        var roiFile = Path.Combine(RepositoryRoot.SharedData, "roi", "test_patch.geojson");
        using (var quiet = new StringWriter())
            (await RoiCommand.AddAsync(DetectApp.Create(quiet, quiet), Store, "test_patch", roiFile)).Should().Be(0, quiet.ToString());
        await new ModelImporter().ImportAsync(Path.Combine(RepositoryRoot.SharedData, "models", "keras"), Store);

        // The synthetic scenes go to a scratch catalog first, then are rewritten as Earth Search items.
        var scratch = new LocalObjectStore(Path.Combine(Root, "synthetic"));
        Truth = await SyntheticImageryGenerator.GenerateAsync(scratch, new SyntheticOptions
        {
            Roi = GeoJsonReader.ReadAreaFile(roiFile), Start = Start, End = End, RevisitDays = 15,
        }, Directory.CreateDirectory(Path.Combine(Root, "scratch")).FullName, publishTruth: false);
        var scenes = await SceneCatalog.FindAsync(scratch, GeoJsonReader.ReadAreaFile(roiFile), Start, End);
        Catalog = await EarthSearchCatalog.BuildAsync(scenes, ImageryBucket, Bucket, S3Settings.FromEnvironment().Region, httpRoot, Cogs.BaseUrl,
            Path.Combine(Root, "scratch"));
        Api.Collections[EarthSearchCatalog.L1c] = Catalog.L1cItems;
        Api.Collections[EarthSearchCatalog.L2a] = Catalog.L2aItems;

        Api.ThrottleNextSearch(retryAfterSeconds: 1);
        FirstRun = await CliAsync(["run", "Detect", .. DetectArgs, "--device", "cpu", "--workers", "2"]);
        FirstRunReads = [.. Relay.Requests];
    }

    /// <summary>Runs a `detect` verb in this process on the fixture's store, output captured.</summary>
    public async Task<(int Code, string Stdout, string Stderr)> CliAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await DetectApp.Create(stdout, stderr).RunAsync([.. args, "--store", Store.Root, .. args[0] is "run" or "status" or "clean" ? ["--cache-dir", CacheDir] : Array.Empty<string>()]);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs Detect with an in-process scheduler on the same store, for per-task outcomes.</summary>
    public async Task<ExecutionSummary> RunAsync()
    {
        using var resolver = new TargetResolver(Store, CacheDir);
        return await new Scheduler(Registry, resolver, new SchedulerOptions { Workers = 2, StagingDirectory = Path.Combine(Root, "staging") })
            .RunAsync(Detect);
    }

    public string PathOf(string key) => Store.PathOf(key);

    public async Task DisposeAsync()
    {
        Api?.Dispose();
        Cogs?.Dispose();
        Relay?.Dispose();
        ImageryBucket?.Dispose();
        try { await _swift.DisposeAsync(); }
        finally { Directory.Delete(Root, recursive: true); }
    }
}

/// <summary>
/// Not parallel with other collections: the Swift fixture exports the AWS_* variables of its own server into the process.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EarthSearchRunCollection : ICollectionFixture<EarthSearchRunFixture>
{
    public const string Name = "one Detect run on a local STAC API";
}
