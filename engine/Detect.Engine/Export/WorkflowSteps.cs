namespace Detect.Engine.Export;

/// <summary>
/// One step of the exported workflow: the tasks of one family at one depth of the graph (with one GPU need), run
/// as a scatter over their jobs, after the steps that hold what they wait for.
/// </summary>
public sealed record WorkflowStep(string Id, string Family, int Depth, int Gpus, IReadOnlyList<WorkflowTask> Tasks, IReadOnlyList<string> After);

/// <summary>Groups planned tasks into steps, so a graph of 10,000 tasks becomes a handful of scattered steps.</summary>
public static class WorkflowSteps
{
    /// <summary>The tasks' <c>gpu</c> resource: what the step asks the runner for.</summary>
    public static int GpusOf(WorkflowTask task) => task.Resources.TryGetValue("gpu", out var n) ? Math.Max(0, n) : 0;

    /// <summary>
    /// Depth = 0 for a task that waits for nothing, else one more than the deepest task it waits for; tasks of one
    /// family at one depth never wait for each other, so they can share a scattered step. Steps come in depth
    /// order, so each step is listed after every step it waits for.
    /// </summary>
    public static IReadOnlyList<WorkflowStep> Group(IReadOnlyList<PlannedTask> plan)
    {
        var depth = new Dictionary<WorkflowTask, int>();
        foreach (var planned in plan) // dependencies come first in a plan
            depth[planned.Task] = planned.After.Count == 0 ? 0 : planned.After.Max(a => depth[a]) + 1;

        var groups = plan
            .GroupBy(p => (p.Task.Family, Depth: depth[p.Task], Gpus: GpusOf(p.Task)))
            .OrderBy(g => g.Key.Depth).ThenBy(g => g.Key.Family, StringComparer.Ordinal).ThenBy(g => g.Key.Gpus)
            .ToList();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var stepOf = new Dictionary<WorkflowTask, string>();
        var steps = new List<WorkflowStep>();
        foreach (var group in groups)
        {
            var id = UniqueId(group.Key.Family, ids);
            foreach (var p in group) stepOf[p.Task] = id;
            var after = group.SelectMany(p => p.After).Select(a => stepOf[a]).Distinct()
                .OrderBy(s => s, StringComparer.Ordinal).ToList();
            steps.Add(new WorkflowStep(id, group.Key.Family, group.Key.Depth, group.Key.Gpus, group.Select(p => p.Task).ToList(), after));
        }
        return steps;
    }

    /// <summary>
    /// The family name (letters, digits, '_' and '-' only: step ids are parts of CWL source references such as
    /// <c>Heatmap/done</c>), or name_2, name_3 … when the family has steps at several depths.
    /// </summary>
    private static string UniqueId(string family, HashSet<string> taken)
    {
        var name = new string(family.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_').ToArray());
        var id = name;
        for (var n = 2; !taken.Add(id); n++) id = $"{name}_{n}";
        return id;
    }
}
