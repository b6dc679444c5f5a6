using Detect.Engine.Scheduling;
using Detect.Engine.Storage;

namespace Detect.Engine.Tests;

/// <summary>A temporary local store and a scheduler factory for one test.</summary>
public sealed class TempStore : IDisposable
{
    public TempStore()
    {
        Root = Path.Combine(Path.GetTempPath(), "detect-test-" + Guid.NewGuid().ToString("N"));
        Store = new LocalObjectStore(Path.Combine(Root, "store"));
        Staging = Path.Combine(Root, "staging");
        Cache = Path.Combine(Root, "cache");
        Resolver = new TargetResolver(Store, Cache);
        Scope = Guid.NewGuid().ToString("N")[..12];
    }

    public string Root { get; }
    public LocalObjectStore Store { get; }
    public string Staging { get; }
    public string Cache { get; }
    public TargetResolver Resolver { get; }
    public string Scope { get; }

    public static TaskRegistry Registry { get; } = new(typeof(TempStore).Assembly);

    public Scheduler Scheduler(SchedulerOptions? options = null) =>
        new(Registry, Resolver, (options ?? new SchedulerOptions()) with { StagingDirectory = Staging, RetryDelay = TimeSpan.FromMilliseconds(10) });

    public Task<ExecutionSummary> RunAsync(WorkflowTask task, SchedulerOptions? options = null) => Scheduler(options).RunAsync(task);

    public string PathOf(string key) => Store.PathOf(key);

    public IReadOnlyList<string> Ran() => RunLog.Of(Scope);

    public void Dispose()
    {
        RunLog.Clear(Scope);
        try { Directory.Delete(Root, recursive: true); } catch (DirectoryNotFoundException) { }
    }
}
