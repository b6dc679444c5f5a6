using Detect.Engine.Storage;
using Microsoft.Extensions.Logging;

namespace Detect.Engine;

/// <summary>
/// What a running task gets from the engine: its store, reading inputs, staging outputs (published
/// atomically only after <see cref="WorkflowTask.RunAsync"/> returns), dynamic dependencies, progress,
/// logging and cancellation.
/// </summary>
public sealed class TaskContext
{
    private readonly OutputStaging _staging;
    private readonly Func<IReadOnlyList<WorkflowTask>, CancellationToken, Task> _requireDynamic;
    private readonly ProgressReporterFactory _progress;
    private readonly Action<long, long, string>? _reportProgress;

    internal TaskContext(WorkflowTask task, TargetResolver resolver, OutputStaging staging, ILogger logger,
        ProgressReporterFactory progress, Action<long, long, string>? reportProgress,
        Func<IReadOnlyList<WorkflowTask>, CancellationToken, Task> requireDynamic, CancellationToken cancellationToken)
    {
        Task = task;
        Targets = resolver;
        _staging = staging;
        Logger = logger;
        _progress = progress;
        _reportProgress = reportProgress;
        _requireDynamic = requireDynamic;
        CancellationToken = cancellationToken;
    }

    public WorkflowTask Task { get; }
    public ILogger Logger { get; }
    public CancellationToken CancellationToken { get; }

    /// <summary>Reads and locates targets (the run's store and any other store named by URI).</summary>
    public TargetResolver Targets { get; }

    /// <summary>The run's default store.</summary>
    public IObjectStore Store => Targets.DefaultStore;

    /// <summary>A local directory for caches that outlive the run (models, downloaded inputs).</summary>
    public string CacheDirectory => Targets.CacheDirectory;

    /// <summary>A local path to write <paramref name="target"/> to; published when the task succeeds.</summary>
    public string StagePath(Target target) => _staging.PathFor(target);

    /// <summary>A local directory whose files are published under the flag target's prefix, then the marker.</summary>
    public string StageDirectory(FlagTarget target) => _staging.DirectoryFor(target);

    /// <summary>
    /// Writes <paramref name="text"/> (UTF-8) as the target's staged content. Synchronously: tasks run on the
    /// thread pool already, and async file writes on Linux only move the same write to another thread.
    /// </summary>
    public Task WriteTextAsync(Target target, string text)
    {
        CancellationToken.ThrowIfCancellationRequested();
        var path = StagePath(target);
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        // A new file without O_TRUNC: ext4 flushes a file truncated to zero on close (its auto_da_alloc rule). Written
        // a second time, the file exists: then it is replaced (truncated). No look before: the create says which.
        Microsoft.Win32.SafeHandles.SafeFileHandle handle;
        try { handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.None); }
        catch (IOException) when (File.Exists(path)) { handle = File.OpenHandle(path, FileMode.Create, FileAccess.Write, FileShare.None); }
        using (handle) RandomAccess.Write(handle, bytes, 0);
        return System.Threading.Tasks.Task.CompletedTask;
    }

    public Task<string> ReadTextAsync(Target target) => Targets.ReadTextAsync(target, CancellationToken);

    /// <summary>The target's bytes as a stream, for inputs too large to read as one string.</summary>
    public Task<Stream> OpenReadAsync(Target target) => Targets.OpenReadAsync(target, CancellationToken);

    /// <summary>A scratch directory deleted when the task ends, for intermediate files.</summary>
    public string ScratchDirectory => _staging.ScratchDirectory;

    /// <summary>
    /// Dynamic dependencies (Luigi's <c>yield</c>): runs the tasks if incomplete and returns when all are
    /// complete; throws <see cref="DependencyFailedException"/> if one fails. The engine records them beside
    /// this task's output so later completeness checks include them.
    /// </summary>
    public Task RequireAsync(params WorkflowTask[] tasks) => _requireDynamic(tasks, CancellationToken);

    public Task RequireAsync(IEnumerable<WorkflowTask> tasks) => _requireDynamic(tasks.ToList(), CancellationToken);

    /// <summary>Starts progress reporting for <paramref name="total"/> units of work.</summary>
    public ProgressReporter Progress(long total, string unit) => _progress.Create(Task.TaskId, total, unit, _reportProgress);
}

public sealed class DependencyFailedException(string message) : Exception(message);
