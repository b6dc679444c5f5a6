using Detect.Engine.Scheduling.Events;
using Detect.Engine.Scheduling.Execution;
using Detect.Engine.Scheduling.Leases;
using Detect.Engine.Scheduling.Planning;
using Detect.Engine.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Detect.Engine.Scheduling;

/// <summary>
/// Resolves the graph from the requested task, works out what is incomplete, and runs it: ready tasks in
/// parallel on <see cref="SchedulerOptions.Workers"/>, within resource limits, with retries, timeouts and
/// leases; a failure stops its dependents while independent branches go on. Every step is reported to the
/// observers (<see cref="SchedulerOptions.Observers"/>) as a <see cref="SchedulerEvent"/>.
/// The pieces: <see cref="TaskGraph"/> and <see cref="Completeness"/> plan, the <see cref="Dispatcher"/> orders
/// and starts, <see cref="TaskExecution"/> takes the lease and retries, <see cref="AttemptRunner"/> runs one
/// attempt. Workers and resources are shared by every run this scheduler executes, also concurrent ones.
/// </summary>
public sealed class Scheduler
{
    private readonly SchedulerServices _services;

    public Scheduler(TaskRegistry registry, TargetResolver resolver, SchedulerOptions? options = null, ILogger? logger = null)
    {
        var o = options ?? new SchedulerOptions();
        o.Validate();
        var log = logger ?? NullLogger.Instance;
        var time = o.TimeProvider;
        var sink = new ProgressSink(log, o.LiveProgress, o.ProgressLogInterval);
        _services = new SchedulerServices
        {
            Registry = registry,
            Resolver = resolver,
            Options = o,
            Logger = log,
            Time = time,
            Observers = new ObserverSet([new LoggingObserver(log, sink), .. o.Observers], log),
            Slots = new WorkerSlots(o.Workers),
            Resources = new ResourcePool(o.ResourceLimits),
            Leases = o.UseLeases ? new TaskLeases(resolver.DefaultStore, o.LeaseTtl, time, log) : null,
            Retry = RetryPolicy.From(o),
            Staging = new StagingFolders(o.StagingDirectory ?? DefaultStagingRoot(resolver.DefaultStore)),
            Progress = new ProgressReporterFactory(sink),
        };
    }

    /// <summary>Beside a local store (same file system: publishing is a rename), else in the system temp folder.</summary>
    private static string DefaultStagingRoot(IObjectStore store) =>
        store is LocalObjectStore local ? Path.Combine(local.Root, ".detect", "staging") : Path.Combine(Path.GetTempPath(), "detect-staging");

    /// <summary>Resolves the graph and reports, per task, whether it is complete (used by <c>detect status</c>).</summary>
    public async Task<IReadOnlyList<(WorkflowTask Task, bool Complete, IReadOnlyList<(Target Target, bool Exists)> Outputs)>> StatusAsync(
        WorkflowTask root, CancellationToken ct = default)
    {
        var (graph, completeness) = NewGraph();
        await graph.AddAsync([root], ct);
        return graph.Nodes
            .Select(n => (n.Task, completeness.IsComplete(n),
                (IReadOnlyList<(Target, bool)>)n.Outputs.Select(o => (o, graph.Existence.Exists(o))).ToList()))
            .OrderBy(x => x.Task.TaskId, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The tasks downstream of <paramref name="task"/> within the graph of <paramref name="root"/>.</summary>
    public async Task<IReadOnlyList<WorkflowTask>> DownstreamAsync(WorkflowTask root, WorkflowTask task, CancellationToken ct = default)
    {
        var (graph, _) = NewGraph();
        await graph.AddAsync([root], ct);
        var start = graph.Find(task) ?? throw new InvalidOperationException($"{task.TaskId} is not in the graph of {root.TaskId}.");
        var result = new HashSet<TaskNode> { start };
        var changed = true;
        while (changed)
        {
            changed = false;
            foreach (var node in graph.Nodes)
                if (!result.Contains(node) && node.AllDependencies.Any(result.Contains)) changed |= result.Add(node);
        }
        return result.Select(n => n.Task).ToList();
    }

    public async Task<ExecutionSummary> RunAsync(WorkflowTask root, CancellationToken ct = default)
    {
        var started = _services.Time.GetTimestamp();
        var events = new RunEvents(RunIds.New(_services.Time), _services.Time, _services.Observers);
        var (graph, completeness) = NewGraph();
        var rootNode = (await graph.AddAsync([root], ct))[0];
        var nodes = graph.Nodes;
        var noDeps = _services.Options.NoDeps;
        var toRun = RunPlan.NodesToRun(nodes, completeness, rootNode, noDeps);
        var run = new RunState(events, graph, completeness, rootNode, noDeps);

        _services.Logger.LogDebug("resolved {Count} task(s) from {Root} in {Seconds:0.00}s; {ToRun} to run", nodes.Count, root.TaskId,
            _services.Time.GetElapsedTime(started).TotalSeconds, toRun.Count);
        events.Publish((t, r) => new RunStarted(t, r, root.TaskId, root.Family, nodes.Count, RunPlan.Incomplete(toRun, completeness),
            RunPlan.Families(nodes, toRun, completeness), RunPlan.FamilyEdges(nodes), root.AllParameters()));
        var planned = new HashSet<TaskNode>(toRun);
        if (!noDeps)
        {
            var now = events.Now;
            foreach (var node in nodes)
                if (!planned.Contains(node)) events.Publish(new TaskAlreadyComplete(now, events.RunId, node.Id, node.Task.Family));
        }
        ExecutionSummary summary;
        using (var dispatcher = new Dispatcher(_services, run, ct))
        {
            dispatcher.EnsureAll(toRun);
            await dispatcher.WhenDrained();
            var reports = dispatcher.Reports.ToList();
            foreach (var node in nodes)
            {
                if (dispatcher.Handled(node) || (noDeps && node != rootNode)) continue;
                reports.Add(new TaskReport(node.Id, node.Task.Family, TaskOutcome.AlreadyComplete, TimeSpan.Zero, 0, null));
            }
            var rootReport = reports.First(r => r.TaskId == rootNode.Id);
            summary = new ExecutionSummary(root.TaskId, Dispatcher.Succeeded(rootReport.Outcome), reports);
        }
        if (_services.Leases is { } leases) await leases.Renewer.ReleasesDoneAsync();
        _services.Staging.Trim();
        events.Publish((t, r) => new RunFinished(t, r, summary, _services.Time.GetElapsedTime(started), ct.IsCancellationRequested));
        await _services.Observers.FlushAsync(events.RunId, CancellationToken.None);
        ct.ThrowIfCancellationRequested();
        return summary;
    }

    private (TaskGraph, Completeness) NewGraph()
    {
        var existence = new ExistenceOracle(_services.Resolver);
        return (new TaskGraph(_services.Registry, _services.Resolver, existence), new Completeness(existence));
    }
}
