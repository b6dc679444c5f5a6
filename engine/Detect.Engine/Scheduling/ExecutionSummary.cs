using System.Text;

namespace Detect.Engine.Scheduling;

public enum TaskOutcome
{
    AlreadyComplete,
    Ran,
    CompletedElsewhere,
    Failed,
    UpstreamFailed,
    NotRun,
}

public sealed record TaskReport(string TaskId, string Family, TaskOutcome Outcome, TimeSpan Duration, int Attempts, string? Reason);

/// <summary>Why a task an interrupted run handled did not run (the <see cref="TaskReport.Reason"/> of its <see cref="TaskOutcome.NotRun"/>).</summary>
public static class Interruption
{
    /// <summary>It had started: its attempt was cancelled, nothing of it was published, its lease released.</summary>
    public const string WhileRunning = "interrupted while running";

    /// <summary>It was waiting for its requirements, a worker, a resource or a lease.</summary>
    public const string BeforeStart = "interrupted before it started";
}

/// <summary>What a run did, task by task; printed at the end of <c>detect run</c>.</summary>
/// <param name="interrupted">The run was cancelled (Ctrl-C, SIGTERM) before the requested task was complete.</param>
public sealed class ExecutionSummary(string rootTaskId, bool rootComplete, IReadOnlyList<TaskReport> reports, bool interrupted = false)
{
    public string RootTaskId { get; } = rootTaskId;
    public bool RootComplete { get; } = rootComplete;
    public bool Interrupted { get; } = interrupted;
    public IReadOnlyList<TaskReport> Reports { get; } = reports;

    public IEnumerable<TaskReport> With(TaskOutcome outcome) => Reports.Where(r => r.Outcome == outcome);
    public int Count(TaskOutcome outcome) => Reports.Count(r => r.Outcome == outcome);
    public bool Ran(string taskId) => Reports.Any(r => r.TaskId == taskId && r.Outcome == TaskOutcome.Ran);

    public string Render()
    {
        var sb = new StringBuilder();
        sb.AppendLine("===== Execution summary =====");
        sb.AppendLine($"Scheduled {Reports.Count} task(s) for {RootTaskId}:");
        Section(sb, TaskOutcome.Ran, "ran", r => $" in {Format(r.Duration)}" + (r.Attempts > 1 ? $" ({r.Attempts} attempts)" : ""));
        Section(sb, TaskOutcome.AlreadyComplete, "were already complete", _ => "");
        Section(sb, TaskOutcome.CompletedElsewhere, "were completed by another run meanwhile", _ => "");
        Section(sb, TaskOutcome.Failed, "failed", r => $" after {r.Attempts} attempt(s): {r.Reason}");
        Section(sb, TaskOutcome.UpstreamFailed, "were not run because a dependency failed", r => $" ({r.Reason})");
        Section(sb, With(TaskOutcome.NotRun).Where(r => r.Reason == Interruption.WhileRunning).ToList(),
            "were interrupted while running (nothing of them published)", _ => "");
        Section(sb, With(TaskOutcome.NotRun).Where(r => r.Reason == Interruption.BeforeStart).ToList(), "were not started (interrupted)", _ => "");
        Section(sb, With(TaskOutcome.NotRun).Where(r => r.Reason is not (Interruption.WhileRunning or Interruption.BeforeStart)).ToList(),
            "were not run", r => $" ({r.Reason})");
        sb.Append(RootComplete ? "Result: success — " : Interrupted ? "Result: INTERRUPTED — " : "Result: FAILED — ").Append(RootTaskId)
          .AppendLine(RootComplete ? " is complete." : Interrupted ? " is not complete; run the same command again to go on." : " is not complete.");
        return sb.ToString();
    }

    private void Section(StringBuilder sb, TaskOutcome outcome, string verb, Func<TaskReport, string> detail) =>
        Section(sb, With(outcome).ToList(), verb, detail);

    private static void Section(StringBuilder sb, List<TaskReport> items, string verb, Func<TaskReport, string> detail)
    {
        const int shown = 12;
        if (items.Count == 0) return;
        sb.AppendLine($"* {items.Count} {verb}:");
        // The first few by id are listed, the rest counted by family (in the order of their first id). Only the
        // listed ones are sorted: a summary of 100,000 tasks needs no full sort.
        var first = items.Count <= shown
            ? items.OrderBy(r => r.TaskId, StringComparer.Ordinal).ToList()
            : SmallestById(items, shown);
        foreach (var r in first) sb.AppendLine($"    - {r.TaskId}{detail(r)}");
        if (items.Count <= shown) return;
        var listed = first.ToHashSet();
        var rest = new Dictionary<string, (int Count, string FirstId)>(StringComparer.Ordinal);
        foreach (var r in items)
        {
            if (listed.Contains(r)) continue;
            rest[r.Family] = rest.TryGetValue(r.Family, out var f)
                ? (f.Count + 1, string.CompareOrdinal(r.TaskId, f.FirstId) < 0 ? r.TaskId : f.FirstId)
                : (1, r.TaskId);
        }
        foreach (var (family, (count, _)) in rest.OrderBy(kv => kv.Value.FirstId, StringComparer.Ordinal))
            sb.AppendLine($"    ... and {count} more {family}");
    }

    /// <summary>The <paramref name="n"/> reports with the smallest ids, in id order (a bounded max-heap).</summary>
    private static List<TaskReport> SmallestById(List<TaskReport> items, int n)
    {
        var heap = new PriorityQueue<TaskReport, string>(n + 1, Comparer<string>.Create((a, b) => string.CompareOrdinal(b, a)));
        foreach (var r in items)
        {
            heap.Enqueue(r, r.TaskId);
            if (heap.Count > n) heap.Dequeue();
        }
        var result = new List<TaskReport>(n);
        while (heap.TryDequeue(out var r, out _)) result.Add(r);
        result.Reverse();
        return result;
    }

    private static string Format(TimeSpan t) => t.TotalSeconds < 60 ? $"{t.TotalSeconds:0.0}s" : $"{t:hh\\:mm\\:ss}";
}
