using Detect.Engine.Scheduling.Events;
using Detect.Engine.Scheduling.Leases;
using Detect.Engine.Scheduling.Planning;
using Microsoft.Extensions.Logging;

namespace Detect.Engine.Scheduling.Execution;

/// <summary>What one scheduler shares between the runs it executes: workers, resources, leases, clock, observers.</summary>
internal sealed class SchedulerServices
{
    public required TaskRegistry Registry { get; init; }
    public required TargetResolver Resolver { get; init; }
    public required SchedulerOptions Options { get; init; }
    public required ILogger Logger { get; init; }
    public required TimeProvider Time { get; init; }
    public required ObserverSet Observers { get; init; }
    public required WorkerSlots Slots { get; init; }
    public required ResourcePool Resources { get; init; }
    public required TaskLeases? Leases { get; init; }
    public required RetryPolicy Retry { get; init; }
    public required StagingFolders Staging { get; init; }
    public required ProgressReporterFactory Progress { get; init; }
}

/// <summary>One run: its id and events, and its view of the graph and the store.</summary>
internal sealed class RunState(RunEvents events, TaskGraph graph, Completeness completeness, TaskNode root, bool noDeps)
{
    public RunEvents Events { get; } = events;
    public TaskGraph Graph { get; } = graph;
    public Completeness Completeness { get; } = completeness;
    public ExistenceOracle Existence => Graph.Existence;
    public TaskNode Root { get; } = root;
    public bool NoDeps { get; } = noDeps;
    public string RunId => Events.RunId;
}
