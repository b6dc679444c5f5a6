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
}
