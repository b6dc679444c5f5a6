using System.Collections.Concurrent;
using Detect.Engine;
using Detect.Engine.Parameters;
using Detect.Engine.Scheduling;
using Detect.Engine.Storage;
using Detect.Tasks.Geo.GeoJson;
using Detect.Tasks.Inference;
using Detect.Tasks.Models;
using Detect.Tasks.Pipeline;
using Detect.Synthetic;
using Detect.Tasks.Tiling;
using Microsoft.Extensions.Logging;

namespace Detect.Tasks.Tests.Pipeline;

/// <summary>
/// On the CPU, inference tasks hold no "gpu" resource and run side by side; a task that will run on CUDA still holds
/// gpu: 1. Real Heatmap tasks on synthetic imagery, run by the real scheduler with two workers.
/// </summary>
public sealed class InferenceParallelismTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("detect-infer-par-").FullName;
    private LocalObjectStore _store = null!;
    private string _tile = "";

    public async Task InitializeAsync()
    {
        _store = new LocalObjectStore(Path.Combine(_root, "store"));
        var roiFile = Path.Combine(RepositoryRoot.SharedData, "roi", "test_patch.geojson");
        var roi = GeoJsonReader.ReadAreaFile(roiFile);
        await _store.PublishFileAsync("boundaries/test_patch.geojson", roiFile);
        await SyntheticImageryGenerator.GenerateAsync(_store, new SyntheticOptions
        {
            Roi = roi, Start = new DateOnly(2019, 1, 1), End = new DateOnly(2019, 10, 1), RevisitDays = 30,
        }, Directory.CreateDirectory(Path.Combine(_root, "scratch")).FullName, publishTruth: false);
        await new ModelImporter().ImportAsync(Path.Combine(RepositoryRoot.SharedData, "models", "keras"), _store);
        _tile = RoiTiler.Cover(roi).Single().Id;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }

    private Heatmap HeatmapFor(string runId, InferenceDevice device) => new()
    {
        RunId = runId, Tile = _tile, StartDate = new DateOnly(2019, 1, 1), EndDate = new DateOnly(2019, 10, 1),
        MosaicPeriod = 3, SpectrogramInterval = 2, Device = device,
    };

    private async Task<(ExecutionSummary Summary, List<string> Log)> RunBothAsync(InferenceDevice device)
    {
        var log = new OrderedLog();
        using var resolver = new TargetResolver(_store, Path.Combine(_root, "cache"));
        var root = new BothHeatmaps { A = HeatmapFor($"{device}-a", device), B = HeatmapFor($"{device}-b", device) };
        // Their inputs (scene records, the Mosaic COGs, the model) first, so both heatmaps are ready at the same moment
        // and only inference decides whether they overlap.
        var inputs = await new Scheduler(new TaskRegistry(TasksAssembly.Assembly), resolver,
            new SchedulerOptions { Workers = 2, StagingDirectory = Path.Combine(_root, "staging") }, new OrderedLog())
            .RunAsync(new InputsOf { Of = root });
        inputs.RootComplete.Should().BeTrue(inputs.Render());
        var summary = await new Scheduler(new TaskRegistry(TasksAssembly.Assembly), resolver,
            new SchedulerOptions { Workers = 2, StagingDirectory = Path.Combine(_root, "staging") }, log).RunAsync(root);
        return (summary, log.Lines.ToList());
    }

    [Fact]
    public async Task Two_cpu_heatmaps_run_at_the_same_time_under_two_workers()
    {
        CudaProbe.For().Available.Should().BeFalse("this test is for a machine where auto resolves to the CPU");
        HeatmapFor("x", InferenceDevice.Auto).Resources.Should().BeEmpty("auto resolved to the CPU holds no gpu");

        // The scheduler hands the second ready task to the thread pool; while other test classes run in parallel the
        // pool may take longer than a whole heatmap (0.6 s) to add a thread, which would serialise them for a reason
        // that has nothing to do with resources. Enough threads up front keep this about what it tests.
        ThreadPool.GetMinThreads(out var workerThreads, out var ioThreads);
        ThreadPool.SetMinThreads(Math.Max(workerThreads, 32), ioThreads);

        var (summary, log) = await RunBothAsync(InferenceDevice.Auto);

        summary.RootComplete.Should().BeTrue(string.Join("\n", log));
        var starts = log.FindAll(l => l.StartsWith("start Heatmap_"));
        var firstDone = log.FindIndex(l => l.StartsWith("done  Heatmap_"));
        starts.Should().HaveCount(2);
        log.FindLastIndex(l => l.StartsWith("start Heatmap_")).Should().BeLessThan(firstDone,
            "both heatmaps start before either finishes: they overlap\n" + string.Join("\n", log));
        CpuThreadBudget.Peak.Should().BeLessThanOrEqualTo(CpuThreadBudget.Capacity, "ONNX Runtime threads never exceed the cores");
    }

    [Fact]
    public async Task Cuda_heatmaps_hold_the_gpu_and_run_one_at_a_time()
    {
        HeatmapFor("x", InferenceDevice.Cuda).Resources.Should().Equal(new Dictionary<string, int> { ["gpu"] = 1 });

        var (summary, log) = await RunBothAsync(InferenceDevice.Cuda);

        // No CUDA here, so each fails with the clear message; what matters is that the second starts only after the
        // first has let go of the gpu.
        summary.RootComplete.Should().BeFalse();
        summary.With(TaskOutcome.Failed).Should().HaveCount(2).And.OnlyContain(r => r.Reason!.Contains("--device cuda was asked for"));
        var secondStart = log.FindLastIndex(l => l.StartsWith("start Heatmap_"));
        var firstFailure = log.FindIndex(l => l.StartsWith("failed Heatmap_"));
        firstFailure.Should().BeGreaterThan(-1).And.BeLessThan(secondStart, string.Join("\n", log));
    }

    [Theory]
    [InlineData(InferenceDevice.Cpu, false)]
    [InlineData(InferenceDevice.Auto, false)] // the CPU build: auto resolves to the CPU
    [InlineData(InferenceDevice.Cuda, true)]
    public void Every_inference_task_holds_the_gpu_only_when_it_runs_on_cuda(InferenceDevice device, bool holdsGpu)
    {
        IEnumerable<WorkflowTask> tasks =
        [
            HeatmapFor("x", device),
            new PatchTile { RunId = "x", Tile = "32750_x0037_y1056", Device = device },
            new GenerateContoursForSite { RunId = "x", Site = "site_1", Device = device },
        ];
        foreach (var task in tasks)
            task.Resources.ContainsKey("gpu").Should().Be(holdsGpu, $"{task.Family} --device {device}");
    }

    private sealed class BothHeatmaps : WrapperTask
    {
        [Parameter] public string Label { get; init; } = "both";
        public Heatmap A { get; init; } = null!;
        public Heatmap B { get; init; } = null!;
        public override IEnumerable<WorkflowTask> Requires() => [A, B];
    }

    /// <summary>What both heatmaps of a <see cref="BothHeatmaps"/> need.</summary>
    private sealed class InputsOf : WrapperTask
    {
        [Parameter] public string Label { get; init; } = "inputs";
        public BothHeatmaps Of { get; init; } = null!;
        public override IEnumerable<WorkflowTask> Requires() => Of.A.Requires().Concat(Of.B.Requires());
    }

    /// <summary>The scheduler's log lines in the order they were written.</summary>
    private sealed class OrderedLog : ILogger
    {
        public ConcurrentQueue<string> Lines { get; } = new();
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Enqueue(formatter(state, exception));
    }
}
