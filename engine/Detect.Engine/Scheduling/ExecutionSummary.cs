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

/// <summary>What a run did, task by task; printed at the end of <c>detect run</c>.</summary>
public sealed class ExecutionSummary(string rootTaskId, bool rootComplete, IReadOnlyList<TaskReport> reports)
{
    public string RootTaskId { get; } = rootTaskId;
    public bool RootComplete { get; } = rootComplete;
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
        Section(sb, TaskOutcome.NotRun, "were not run", r => $" ({r.Reason})");
        sb.Append(RootComplete ? "Result: success — " : "Result: FAILED — ").Append(RootTaskId)
          .AppendLine(RootComplete ? " is complete." : " is not complete.");
        return sb.ToString();
    }

    private void Section(StringBuilder sb, TaskOutcome outcome, string verb, Func<TaskReport, string> detail)
    {
        var items = With(outcome).OrderBy(r => r.TaskId, StringComparer.Ordinal).ToList();
        if (items.Count == 0) return;
        sb.AppendLine($"* {items.Count} {verb}:");
        const int shown = 12;
        foreach (var r in items.Take(shown)) sb.AppendLine($"    - {r.TaskId}{detail(r)}");
        if (items.Count > shown)
        {
            foreach (var family in items.Skip(shown).GroupBy(r => r.Family))
                sb.AppendLine($"    ... and {family.Count()} more {family.Key}");
        }
    }

    private static string Format(TimeSpan t) => t.TotalSeconds < 60 ? $"{t.TotalSeconds:0.0}s" : $"{t:hh\\:mm\\:ss}";
}
