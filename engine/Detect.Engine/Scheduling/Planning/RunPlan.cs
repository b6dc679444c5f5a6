using Detect.Engine.Scheduling.Events;

namespace Detect.Engine.Scheduling.Planning;

/// <summary>Which tasks of a resolved graph a run hands to the dispatcher.</summary>
internal static class RunPlan
{
    /// <summary>
    /// Every incomplete task (external inputs only when asked for directly: they cannot run, and fail only if a
    /// task that runs needs them), and always the requested task; with <c>--no-deps</c> only the requested task.
    /// </summary>
    public static IReadOnlyList<TaskNode> NodesToRun(IReadOnlyCollection<TaskNode> nodes, Completeness completeness, TaskNode root, bool noDeps) =>
        noDeps ? [root] : nodes.Where(n => n == root || (n.Task is not ExternalTask && !completeness.IsComplete(n))).ToList();

    /// <summary>How many of the tasks handed to the dispatcher are incomplete (the requested task may be complete already).</summary>
    public static int Incomplete(IReadOnlyList<TaskNode> toRun, Completeness completeness) => toRun.Count(n => !completeness.IsComplete(n));

    /// <summary>Per family: its tasks in the graph and how many of them are incomplete (will run, or fail).</summary>
    public static IReadOnlyList<FamilyPlan> Families(IReadOnlyCollection<TaskNode> nodes, IReadOnlyList<TaskNode> toRun, Completeness completeness)
    {
        var tasks = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in nodes) tasks[node.Task.Family] = tasks.GetValueOrDefault(node.Task.Family) + 1;
        var running = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in toRun)
            if (!completeness.IsComplete(node)) running[node.Task.Family] = running.GetValueOrDefault(node.Task.Family) + 1;
        return tasks.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new FamilyPlan(kv.Key, kv.Value, running.GetValueOrDefault(kv.Key))).ToList();
    }

    /// <summary>Which families feed which: one edge per (required family, requiring family) pair.</summary>
    public static IReadOnlyList<FamilyEdge> FamilyEdges(IReadOnlyCollection<TaskNode> nodes)
    {
        var edges = new HashSet<(string, string)>();
        foreach (var node in nodes)
            foreach (var dependency in node.AllDependencies)
                edges.Add((dependency.Task.Family, node.Task.Family));
        return edges.OrderBy(e => e.Item1, StringComparer.Ordinal).ThenBy(e => e.Item2, StringComparer.Ordinal)
            .Select(e => new FamilyEdge(e.Item1, e.Item2)).ToList();
    }
}
