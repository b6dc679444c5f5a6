using System.Text.Json.Serialization;
using Detect.Engine.History;

namespace Detect.Engine.Web;

/// <summary>What the page shows of a run (JSON): its record, progress, counts by state and family, the family graph, failures.</summary>
public sealed record RunView
{
    public required string Id { get; init; }
    public required string RootTask { get; init; }
    public required string RootFamily { get; init; }
    public required string State { get; init; }
    public string Host { get; init; } = "";
    public int Pid { get; init; }
    public string User { get; init; } = "";
    public List<string> Command { get; init; } = [];
    public string Store { get; init; } = "";
    public DateTimeOffset Started { get; init; }
    public DateTimeOffset Updated { get; init; }
    public DateTimeOffset? Ended { get; init; }
    public required ProgressView Progress { get; init; }
    public required Dictionary<string, int> Totals { get; init; }
    public required List<FamilyState> Families { get; init; }
    public List<string[]> Edges { get; init; } = [];
    public List<FailedView> Failed { get; init; } = [];
    public int FailedTotal { get; init; }
    public List<RunningView> Running { get; init; } = [];
    public int RunningTotal { get; init; }
    public DateTimeOffset? LastEvent { get; init; }
    public DateTimeOffset GeneratedAt { get; init; }
}

public sealed record ProgressView(int ToRun, int Finished, double Percent, double ElapsedSeconds, double? EtaSeconds);
public sealed record FailedView(string Task, string Family, string Error, int Attempts);
public sealed record RunningView(string Task, string Family, DateTimeOffset? Since, int Attempt, long? Done, long? Total, string? Unit, string State);

/// <summary>One line of the run list.</summary>
public sealed record RunSummaryView(string Id, string RootTask, string RootFamily, string State, DateTimeOffset Started, DateTimeOffset? Ended,
    double Seconds, int Tasks, int ToRun, OutcomeCounts Counts, string Host, string User);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(UtcTimeConverter)])]
[JsonSerializable(typeof(RunView))]
[JsonSerializable(typeof(List<RunSummaryView>))]
internal sealed partial class WebJson : JsonSerializerContext;

internal static class RunViews
{
    private const int Listed = 100;

    public static RunView Of(RunReplay replay, DateTimeOffset now)
    {
        var record = replay.Record;
        var families = replay.Families().ToList();
        var (toRun, finished) = replay.Progress();
        var state = replay.FinishedOutcome ?? record.StateAt(now);
        var end = replay.FinishedAt ?? record.Ended ?? (state == "abnormal" ? record.Updated : now);
        var failed = replay.Tasks.Values.Where(t => t.State is TaskState.Failed or TaskState.NotRun).OrderBy(t => t.Id, StringComparer.Ordinal).ToList();
        var running = replay.Tasks.Values.Where(t => t.State is TaskState.Running or TaskState.Retrying or TaskState.Waiting)
            .OrderBy(t => t.Since).ToList();
        return new RunView
        {
            Id = record.Id, RootTask = record.RootTask, RootFamily = record.RootFamily, State = state, Host = record.Host, Pid = record.Pid,
            User = record.User, Command = record.Command, Store = record.Store, Started = record.Started, Updated = record.Updated,
            Ended = replay.FinishedAt ?? record.Ended,
            Progress = new ProgressView(toRun, finished, toRun == 0 ? 100 : Math.Round(100.0 * finished / toRun, 1),
                Math.Round((end - record.Started).TotalSeconds, 1), replay.EstimatedRemaining(now) is { } eta ? Math.Round(eta.TotalSeconds) : null),
            Totals = new Dictionary<string, int>
            {
                ["tasks"] = families.Sum(f => f.Tasks), ["complete"] = families.Sum(f => f.Complete), ["pending"] = families.Sum(f => f.Pending),
                ["waiting"] = families.Sum(f => f.Waiting), ["running"] = families.Sum(f => f.Running), ["done"] = families.Sum(f => f.Done),
                ["elsewhere"] = families.Sum(f => f.Elsewhere), ["failed"] = families.Sum(f => f.Failed),
                ["upstreamFailed"] = families.Sum(f => f.UpstreamFailed), ["notRun"] = families.Sum(f => f.NotRun),
            },
            Families = families,
            Edges = record.Edges,
            Failed = failed.Count == 0 && replay.FromRecord
                ? record.Failures.Take(Listed).Select(f => new FailedView(f.Task, f.Family, f.Error, f.Attempts)).ToList()
                : failed.Take(Listed).Select(t => new FailedView(t.Id, t.Family, t.Error ?? "", t.Attempt)).ToList(),
            FailedTotal = replay.FromRecord ? record.Counts.Failed + record.Counts.NotRun : failed.Count,
            Running = running.Take(Listed).Select(t => new RunningView(t.Id, t.Family, t.Since, t.Attempt, t.Done, t.Total, t.Unit,
                t.State.ToString().ToLowerInvariant())).ToList(),
            RunningTotal = running.Count,
            LastEvent = replay.LastEventAt,
            GeneratedAt = now,
        };
    }

    public static RunSummaryView Summary(RunRecord r, DateTimeOffset now)
    {
        var state = r.StateAt(now);
        var end = r.Ended ?? (state == "abnormal" ? r.Updated : now);
        return new RunSummaryView(r.Id, r.RootTask, r.RootFamily, state, r.Started, r.Ended, Math.Round((end - r.Started).TotalSeconds, 1),
            r.Tasks, r.ToRun, r.Counts, r.Host, r.User);
    }
}
