using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Detect.Engine.Scheduling;

/// <summary>
/// Resolves the graph from the requested task, works out what is incomplete, and runs it: ready tasks in
/// parallel on <see cref="SchedulerOptions.Workers"/>, within resource limits, with retries, timeouts and
/// leases; a failure stops its dependents while independent branches go on.
/// </summary>
public sealed class Scheduler
{
    private readonly TaskRegistry _registry;
    private readonly TargetResolver _resolver;
    private readonly SchedulerOptions _options;
    private readonly ILogger _logger;
    private readonly ExistenceOracle _existence;
    private readonly TaskGraph _graph;
    private readonly Completeness _completeness;
    private readonly ResourcePool _resources;
    private readonly SemaphoreSlim _workers;
    private readonly TaskLeases? _leases;
    private readonly ProgressReporterFactory _progress;
    private readonly ConcurrentDictionary<TaskNode, Lazy<Task<TaskReport>>> _runs = new();
    private readonly string _stagingRoot;
    private TaskNode? _rootNode;

    public Scheduler(TaskRegistry registry, TargetResolver resolver, SchedulerOptions? options = null, ILogger? logger = null)
    {
        _registry = registry;
        _resolver = resolver;
        _options = options ?? new SchedulerOptions();
        _logger = logger ?? NullLogger.Instance;
        _existence = new ExistenceOracle(resolver);
        _graph = new TaskGraph(registry, resolver, _existence);
        _completeness = new Completeness(_existence);
        _resources = new ResourcePool(_options.ResourceLimits);
        _workers = new SemaphoreSlim(Math.Max(1, _options.Workers));
        _leases = _options.UseLeases ? new TaskLeases(resolver.DefaultStore, _options.LeaseTtl, _options.LeasePoll, _logger) : null;
        _progress = new ProgressReporterFactory(new ProgressSink(_logger, _options.LiveProgress, _options.ProgressLogInterval));
        _stagingRoot = _options.StagingDirectory ?? Path.Combine(Path.GetTempPath(), "detect-staging");
    }

    /// <summary>Resolves the graph and reports, per task, whether it is complete (used by <c>detect status</c>).</summary>
    public async Task<IReadOnlyList<(WorkflowTask Task, bool Complete, IReadOnlyList<(Target Target, bool Exists)> Outputs)>> StatusAsync(
        WorkflowTask root, CancellationToken ct = default)
    {
        await _graph.AddAsync([root], ct);
        return _graph.Nodes
            .Select(n => (n.Task, _completeness.IsComplete(n),
                (IReadOnlyList<(Target, bool)>)n.Outputs.Select(o => (o, _existence.Exists(o))).ToList()))
            .OrderBy(x => x.Task.TaskId, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The tasks downstream of <paramref name="task"/> within the graph of <paramref name="root"/>.</summary>
    public async Task<IReadOnlyList<WorkflowTask>> DownstreamAsync(WorkflowTask root, WorkflowTask task, CancellationToken ct = default)
    {
        await _graph.AddAsync([root], ct);
        var dependents = _graph.Nodes.ToLookup(n => n, n => n);
        var result = new HashSet<TaskNode>();
        var changed = true;
        var start = _graph.Find(task) ?? throw new InvalidOperationException($"{task.TaskId} is not in the graph of {root.TaskId}.");
        result.Add(start);
        while (changed)
        {
            changed = false;
            foreach (var node in _graph.Nodes)
                if (!result.Contains(node) && node.AllDependencies.Any(result.Contains)) changed |= result.Add(node);
        }
        return result.Select(n => n.Task).ToList();
    }

    public async Task<ExecutionSummary> RunAsync(WorkflowTask root, CancellationToken ct = default)
    {
        var rootNode = _rootNode = (await _graph.AddAsync([root], ct))[0];
        var nodes = _graph.Nodes;
        _logger.LogDebug("resolved {Count} task(s) from {Root}", nodes.Count, root.TaskId);

        IEnumerable<TaskNode> toEnsure = _options.NoDeps
            ? [rootNode]
            : nodes.Where(n => !_completeness.IsComplete(n) && !(n.Task is ExternalTask && n.Task != root) || n == rootNode);
        var reports = await Task.WhenAll(toEnsure.Select(n => EnsureAsync(n, ct)));
        var all = _runs.Values.Select(l => l.Value.Result).ToList();
        foreach (var node in nodes.Where(n => !_runs.ContainsKey(n) && (n == rootNode || !_options.NoDeps)))
            all.Add(new TaskReport(node.Id, node.Task.Family, TaskOutcome.AlreadyComplete, TimeSpan.Zero, 0, null));
        var rootReport = reports.First(r => r.TaskId == rootNode.Id);
        var rootComplete = rootReport.Outcome is TaskOutcome.AlreadyComplete or TaskOutcome.Ran or TaskOutcome.CompletedElsewhere;
        return new ExecutionSummary(root.TaskId, rootComplete, all);
    }

    private Task<TaskReport> EnsureAsync(TaskNode node, CancellationToken ct) =>
        _runs.GetOrAdd(node, n => new Lazy<Task<TaskReport>>(() => Task.Run(() => EnsureOrReportAsync(n, ct), ct))).Value;

    /// <summary>
    /// Whatever goes wrong around a task (its lease, deleting stale outputs, a store outage) fails that task
    /// and its dependents; the run still ends with a summary.
    /// </summary>
    private async Task<TaskReport> EnsureOrReportAsync(TaskNode node, CancellationToken ct)
    {
        try { return await EnsureCoreAsync(node, ct); }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            var reason = Describe(e);
            _logger.LogError("failed {Task}: {Reason}", node.Id, reason);
            return Report(node, TaskOutcome.Failed, TimeSpan.Zero, 0, reason);
        }
    }

    private async Task<TaskReport> EnsureCoreAsync(TaskNode node, CancellationToken ct)
    {
        if (_completeness.IsComplete(node))
            return Report(node, TaskOutcome.AlreadyComplete, TimeSpan.Zero, 0, null);
        if (node.Task is ExternalTask external)
            return Report(node, TaskOutcome.Failed, TimeSpan.Zero, 0,
                $"external input missing: {string.Join(", ", node.Outputs.Where(o => !_existence.Exists(o)).Select(_resolver.UriOf))}. {external.MissingInputHint}");

        if (_options.NoDeps && node == _rootNode)
        {
            var missing = node.Requires.Where(r => !_completeness.OutputsExist(r)).ToList();
            if (missing.Count > 0)
                return Report(node, TaskOutcome.NotRun, TimeSpan.Zero, 0,
                    "--no-deps given but requirement(s) incomplete: " + string.Join(", ", missing.Select(m => m.Id)) + "; run without --no-deps");
        }
        else
        {
            var dependencies = await Task.WhenAll(node.Requires.Select(d => EnsureAsync(d, ct)));
            var failed = dependencies.Where(r => r.Outcome is TaskOutcome.Failed or TaskOutcome.UpstreamFailed or TaskOutcome.NotRun).ToList();
            if (failed.Count > 0)
                return Report(node, TaskOutcome.UpstreamFailed, TimeSpan.Zero, 0, "failed: " + string.Join(", ", failed.Select(f => f.TaskId)));
        }
        return await RunWithRetriesAsync(node, ct);
    }

    private async Task<TaskReport> RunWithRetriesAsync(TaskNode node, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        using var resources = await _resources.AcquireAsync(node.Task.Resources, ct);
        await _workers.WaitAsync(ct);
        var holdsWorker = true;
        try
        {
            var outputsExistedWhenPlanned = node.Outputs.All(_existence.Exists);
            var (lease, waited) = _leases is null ? (null, false)
                : await _leases.AcquireAsync(node.Id, token => DoneElsewhereAsync(node, token), ct);
            await using var heldLease = lease;
            // Another run may have finished it between our plan and our lease (or while we waited for it).
            if (_leases is not null && (lease is null || ((waited || !outputsExistedWhenPlanned) && await DoneElsewhereAsync(node, ct))))
            {
                _completeness.MarkComplete(node);
                return Report(node, TaskOutcome.CompletedElsewhere, clock.Elapsed, 0, null);
            }
            await DeleteStaleOutputsAsync(node, ct);

            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    _logger.LogInformation("start {Task}" + (attempt > 1 ? " (attempt {Attempt})" : ""), node.Id, attempt);
                    var attemptClock = Stopwatch.StartNew();
                    await RunOnceAsync(node, () => ReleaseWorker(ref holdsWorker), () => ReacquireWorkerAsync(ct), ct);
                    holdsWorker = true;
                    _logger.LogInformation("done  {Task} in {Seconds:0.0}s", node.Id, attemptClock.Elapsed.TotalSeconds);
                    _completeness.MarkComplete(node);
                    return Report(node, TaskOutcome.Ran, clock.Elapsed, attempt, null);
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    holdsWorker = true;
                    var reason = Describe(e);
                    if (attempt > _options.Retries || e is MissingInputException or DependencyFailedException)
                    {
                        _logger.LogError("failed {Task}: {Reason}", node.Id, reason);
                        return Report(node, TaskOutcome.Failed, clock.Elapsed, attempt, reason);
                    }
                    var delay = TimeSpan.FromTicks(Math.Min(_options.MaxRetryDelay.Ticks, _options.RetryDelay.Ticks * (1L << Math.Min(attempt - 1, 20))));
                    _logger.LogWarning("retry {Task} in {Delay:0.0}s after: {Reason}", node.Id, delay.TotalSeconds, reason);
                    await Task.Delay(delay, ct);
                }
            }
        }
        finally
        {
            if (holdsWorker) _workers.Release();
        }
    }

    private void ReleaseWorker(ref bool holdsWorker)
    {
        if (!holdsWorker) return;
        holdsWorker = false;
        _workers.Release();
    }

    private Task ReacquireWorkerAsync(CancellationToken ct) => _workers.WaitAsync(ct);

    private async Task RunOnceAsync(TaskNode node, ReleaseAction releaseWorker, Func<Task> reacquireWorker, CancellationToken ct)
    {
        var timeout = node.Task.Timeout ?? _options.DefaultTimeout;
        using var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var staging = new OutputStaging(_stagingRoot);
        var dynamic = new List<WorkflowTask>();
        var context = new TaskContext(node.Task, _resolver, staging, _logger, _progress,
            async (tasks, token) =>
            {
                dynamic.AddRange(tasks);
                var added = await _graph.AddDynamicAsync(node, tasks, token);
                releaseWorker();
                try
                {
                    var results = await Task.WhenAll(added.Select(n => EnsureAsync(n, ct)));
                    var failed = results.Where(r => r.Outcome is not (TaskOutcome.Ran or TaskOutcome.AlreadyComplete or TaskOutcome.CompletedElsewhere)).ToList();
                    if (failed.Count > 0)
                        throw new DependencyFailedException("dynamic dependency failed: " + string.Join(", ", failed.Select(f => $"{f.TaskId} ({f.Reason})")));
                }
                finally { await reacquireWorker(); }
            },
            attemptCts.Token);

        var run = Task.Run(() => node.Task.RunAsync(context), attemptCts.Token);
        try
        {
            if (timeout is { } limit) await run.WaitAsync(limit, ct);
            else await run.WaitAsync(ct);
        }
        catch (TimeoutException)
        {
            await attemptCts.CancelAsync();
            throw new TimeoutException($"timed out after {timeout!.Value.TotalSeconds:0.###}s (the task's time limit)");
        }

        var first = new List<(Target, string)>();
        if (dynamic.Count > 0 && node.Manifest is not null)
        {
            var manifestPath = Path.Combine(staging.ScratchDirectory, "deps.json");
            await File.WriteAllTextAsync(manifestPath, DynamicDependencies.Serialize(dynamic.Distinct()), ct);
            first.Add((node.Manifest, manifestPath));
        }
        await staging.PublishAsync(_resolver, node.Outputs, first, ct);
        foreach (var output in node.Outputs) _existence.Record(output, true);
    }

    private delegate void ReleaseAction();

    /// <summary>A task rerun because something upstream changed loses its old outputs first, so a failed rerun never leaves stale outputs that look complete.</summary>
    private async Task DeleteStaleOutputsAsync(TaskNode node, CancellationToken ct)
    {
        var stale = node.Outputs.Where(_existence.Exists).ToList();
        if (node.Manifest is not null && _existence.Exists(node.Manifest)) stale.Add(node.Manifest);
        foreach (var target in stale)
        {
            _logger.LogDebug("deleting stale output {Uri}", _resolver.UriOf(target));
            await _resolver.DeleteAsync(target, ct);
            _existence.Record(target, false);
        }
    }

    private async Task<bool> DoneElsewhereAsync(TaskNode node, CancellationToken ct)
    {
        foreach (var output in node.Outputs)
            if (!await _resolver.ExistsAsync(output, ct)) return false;
        return node.Outputs.Count > 0;
    }

    private TaskReport Report(TaskNode node, TaskOutcome outcome, TimeSpan duration, int attempts, string? reason) =>
        new(node.Id, node.Task.Family, outcome, duration, attempts, reason);

    private static string Describe(Exception e)
    {
        var root = e is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerExceptions[0] : e;
        return root is TimeoutException or MissingInputException or DependencyFailedException
            ? root.Message
            : $"{root.GetType().Name}: {root.Message}";
    }
}
