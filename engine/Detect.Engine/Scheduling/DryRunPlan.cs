using System.Text;

namespace Detect.Engine.Scheduling;

/// <summary>How the dry run learnt of a dynamic requirement.</summary>
public enum DynamicSource
{
    /// <summary>Its parent's dependency manifest in the store (an earlier run asked for it).</summary>
    Recorded,

    /// <summary>Its parent planned it from its parameters and the store (<see cref="IPlansDynamicRequirements"/>).</summary>
    Planned,
}

/// <summary>A task a run would run, and why.</summary>
/// <param name="Reason">What is missing: <c>output missing (uri)</c>, <c>upstream will rerun (task)</c>, ….</param>
/// <param name="DynamicOf">The task that requires it dynamically, if that is how it is in the graph.</param>
public sealed record WouldRun(string TaskId, string Family, string Reason, string? DynamicOf = null, DynamicSource? Source = null);

/// <summary>
/// What <c>detect run</c> would do now, worked out without running or writing anything (<c>--dry-run</c>): the tasks it
/// would run in the order their dependencies allow, each with the reason, dynamic requirements included where they
/// are known (recorded by an earlier run, or planned by the task); what would fail for want of external inputs.
/// </summary>
public sealed class DryRunPlan(string rootTaskId, int graphSize, int complete, IReadOnlyList<WouldRun> tasks,
    IReadOnlyList<string> missingInputs, IReadOnlyList<string> dynamicUnknown, string? notRunnable = null)
{
    /// <summary>How many tasks are listed one per line; the rest are counted by family.</summary>
    public const int ListedTasks = 500;

    public string RootTaskId { get; } = rootTaskId;
    public int GraphSize { get; } = graphSize;
    public int Complete { get; } = complete;

    /// <summary>Dependencies before their dependents.</summary>
    public IReadOnlyList<WouldRun> Tasks { get; } = tasks;

    /// <summary>External inputs missing from the store that a task to run needs: the run would fail on them.</summary>
    public IReadOnlyList<string> MissingInputs { get; } = missingInputs;

    /// <summary>Tasks to run whose dynamic requirements are known only when they run (they depend on outputs yet to be made).</summary>
    public IReadOnlyList<string> DynamicUnknown { get; } = dynamicUnknown;

    /// <summary>Why the requested task could not run at all (e.g. <c>--no-deps</c> with incomplete requirements).</summary>
    public string? NotRunnable { get; } = notRunnable;

    public string Render()
    {
        var sb = new StringBuilder();
        sb.AppendLine("===== Dry run: nothing was run or written =====");
        if (Tasks.Count == 0 && NotRunnable is null)
        {
            sb.AppendLine($"Nothing to run: {RootTaskId} is complete ({GraphSize} task(s) in its graph).");
            return sb.ToString();
        }
        sb.AppendLine($"{GraphSize} task(s) in the graph of {RootTaskId}; {Complete} complete; {Tasks.Count} would run, in this order:");
        foreach (var task in Tasks.Take(ListedTasks))
        {
            sb.Append("    - ").Append(task.TaskId).Append(": ").Append(task.Reason);
            if (task.DynamicOf is not null)
                sb.Append("; dynamic requirement of ").Append(task.DynamicOf).Append(task.Source == DynamicSource.Recorded ? " (recorded)" : " (planned)");
            sb.AppendLine();
        }
        if (Tasks.Count > ListedTasks) sb.AppendLine($"    ... and {Tasks.Count - ListedTasks} more (counted by family below)");
        sb.Append("By family: ").AppendLine(string.Join(", ",
            Tasks.GroupBy(t => t.Family).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}")));
        foreach (var id in DynamicUnknown.Take(ListedTasks))
            sb.AppendLine($"Not known before it runs: what {id} requires dynamically (it depends on outputs the run makes first).");
        if (MissingInputs.Count > 0)
            sb.AppendLine($"Would fail: external input(s) missing from the store: {string.Join(", ", MissingInputs)}.");
        if (NotRunnable is not null) sb.AppendLine($"Would not run: {NotRunnable}.");
        return sb.ToString();
    }
}
