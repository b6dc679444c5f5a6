using Microsoft.Extensions.Logging;

namespace Detect.Engine.Scheduling.Planning;

/// <summary>
/// Works out a <see cref="DryRunPlan"/>: the graph as <c>detect run</c> resolves it (recorded dynamic requirements
/// included), plus the dynamic requirements of incomplete tasks that can plan them
/// (<see cref="IPlansDynamicRequirements"/>, as <c>export cwl</c> does), round after round; then the tasks the run would
/// hand to its dispatcher (<see cref="RunPlan.NodesToRun"/>) with the reason each is incomplete. Reads the store,
/// never writes it.
/// </summary>
internal sealed class DryRunPlanner(TaskGraph graph, Completeness completeness, TargetResolver resolver, ILogger logger)
{
    private readonly Dictionary<TaskNode, (TaskNode Parent, DynamicSource Source)> _dynamicOf = new();
    private readonly HashSet<string> _unknown = new(StringComparer.Ordinal);

    public async Task<DryRunPlan> PlanAsync(WorkflowTask root, bool noDeps, CancellationToken ct)
    {
        var rootNode = (await graph.AddAsync([root], ct))[0];
        foreach (var node in graph.Nodes)
            foreach (var child in node.Dynamic) _dynamicOf.TryAdd(child, (node, DynamicSource.Recorded));
        if (!noDeps) await PlanDynamicAsync(ct);

        var nodes = graph.Nodes;
        var toRun = RunPlan.NodesToRun(nodes, completeness, rootNode, noDeps).Where(n => !completeness.IsComplete(n)).ToHashSet();
        var order = DependenciesFirst(rootNode).Where(toRun.Contains).ToList();
        var tasks = order.Select(n => Describe(n, toRun)).ToList();
        var missingInputs = order.Where(n => !noDeps || n == rootNode)
            .SelectMany(n => n.AllDependencies)
            .Where(d => d.Task is ExternalTask && !completeness.IsComplete(d))
            .Distinct()
            .SelectMany(d => d.Outputs.Where(o => !graph.Existence.Exists(o)).Select(resolver.UriOf))
            .Distinct().ToList();
        string? notRunnable = null;
        if (noDeps && !completeness.IsComplete(rootNode))
        {
            var incomplete = rootNode.Requires.Where(r => !completeness.OutputsExist(r)).Select(r => r.Id).ToList();
            if (incomplete.Count > 0)
            {
                notRunnable = "--no-deps given but requirement(s) incomplete: " + string.Join(", ", incomplete) + "; run without --no-deps";
                tasks.Clear();
            }
        }
        return new DryRunPlan(root.TaskId, nodes.Count, nodes.Count(completeness.IsComplete), tasks, missingInputs,
            order.Where(n => _unknown.Contains(n.Id)).Select(n => n.Id).ToList(), notRunnable);
    }

    /// <summary>Asks every incomplete planner for its dynamic requirements, then the planners among those, until none is left.</summary>
    private async Task PlanDynamicAsync(CancellationToken ct)
    {
        var asked = new HashSet<TaskNode>();
        while (true)
        {
            var planners = graph.Nodes.Where(n => n.Task is IPlansDynamicRequirements && !completeness.IsComplete(n) && asked.Add(n))
                .OrderBy(n => n.Id, StringComparer.Ordinal).ToList();
            if (planners.Count == 0) return;
            foreach (var node in planners)
            {
                IReadOnlyList<WorkflowTask>? planned;
                try { planned = await ((IPlansDynamicRequirements)node.Task).PlanDynamicRequirementsAsync(resolver, ct); }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogDebug("{Task} could not plan its dynamic requirements: {Error}", node.Id, e.Message);
                    planned = null;
                }
                if (planned is null) { _unknown.Add(node.Id); continue; }
                foreach (var child in await graph.AddDynamicAsync(node, planned, ct)) _dynamicOf.TryAdd(child, (node, DynamicSource.Planned));
            }
        }
    }

    private WouldRun Describe(TaskNode node, HashSet<TaskNode> toRun)
    {
        var missing = node.Outputs.Where(o => !graph.Existence.Exists(o)).ToList();
        string reason;
        if (missing.Count > 0)
            reason = $"output missing ({resolver.UriOf(missing[0])}{(missing.Count > 1 ? $" and {missing.Count - 1} more" : "")})";
        else
        {
            var upstream = node.AllDependencies.Where(d => d.Task.InvalidatesDependents && toRun.Contains(d)).Select(d => d.Id).ToList();
            reason = upstream.Count > 0
                ? $"upstream will rerun ({upstream[0]}{(upstream.Count > 1 ? $" and {upstream.Count - 1} more" : "")})"
                : node.Outputs.Count == 0 ? "requirements incomplete" : "incomplete";
        }
        if (_unknown.Contains(node.Id)) reason += "; its dynamic requirements are known only when it runs";
        return _dynamicOf.TryGetValue(node, out var d2)
            ? new WouldRun(node.Id, node.Task.Family, reason, d2.Parent.Id, d2.Source)
            : new WouldRun(node.Id, node.Task.Family, reason);
    }

    /// <summary>Every node reachable from <paramref name="root"/>, dependencies first (iterative depth-first post-order).</summary>
    private static List<TaskNode> DependenciesFirst(TaskNode root)
    {
        var order = new List<TaskNode>();
        var seen = new HashSet<TaskNode> { root };
        var stack = new Stack<(TaskNode Node, IEnumerator<TaskNode> Next)>();
        stack.Push((root, root.AllDependencies.GetEnumerator()));
        while (stack.Count > 0)
        {
            var (node, next) = stack.Peek();
            if (next.MoveNext())
            {
                if (seen.Add(next.Current)) stack.Push((next.Current, next.Current.AllDependencies.GetEnumerator()));
                continue;
            }
            stack.Pop();
            order.Add(node);
        }
        return order;
    }
}
