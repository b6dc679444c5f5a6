using Detect.Engine.Scheduling;
using Detect.Engine.Scheduling.Events;
using Detect.Engine.Scheduling.Leases;

namespace Detect.Engine.History;

/// <summary>Where one task of a graph stands now, from any process: the store, the leases and the run histories.</summary>
public sealed record TaskStanding(WorkflowTask Task, string State, string? Detail, IReadOnlyList<(Target Target, bool Exists)> Outputs)
{
    public const string Complete = "complete", Running = "running", Failed = "failed", UpstreamFailed = "upstream-failed",
        Pending = "pending", Retrying = "retrying", Waiting = "waiting";
}

/// <summary>
/// The live status of a graph (<c>detect status</c>): per task complete (its outputs exist), running (a live lease:
/// on which host, in which run, since when, with the progress its run last logged), failed / upstream-failed /
/// retrying (as the newest run that handled it says), or pending. Works from any process or machine that sees the
/// store.
/// </summary>
public static class LiveStatus
{
    public static async Task<IReadOnlyList<TaskStanding>> ReadAsync(Scheduler scheduler, TargetResolver resolver, WorkflowTask root,
        TimeProvider? time = null, CancellationToken ct = default)
    {
        var now = (time ?? TimeProvider.System).GetUtcNow();
        var graph = await scheduler.StatusAsync(root, ct);
        var store = resolver.DefaultStore;
        var leases = await TaskLeases.ListAsync(store, ct);
        var replays = await RelevantRunsAsync(new RunHistory(store), root, now, ct);

        var result = new List<TaskStanding>(graph.Count);
        foreach (var (task, complete, outputs) in graph)
        {
            if (complete) { result.Add(new TaskStanding(task, TaskStanding.Complete, null, outputs)); continue; }
            var seen = replays.Select(r => (Replay: r, View: r.Tasks.GetValueOrDefault(task.TaskId))).FirstOrDefault(x => x.View is not null);
            if (leases.TryGetValue(task.TaskId, out var holder) && holder.Expires > now)
            {
                var progress = replays.FirstOrDefault(r => r.Record.Id == holder.RunId)?.Tasks.GetValueOrDefault(task.TaskId);
                result.Add(new TaskStanding(task, TaskStanding.Running, Running(holder, progress), outputs));
                continue;
            }
            var (state, detail) = seen.View?.State switch
            {
                TaskState.Failed => (TaskStanding.Failed, $"{seen.View.Error} (run {seen.Replay.Record.Id})"),
                TaskState.UpstreamFailed => (TaskStanding.UpstreamFailed, $"{seen.View.FailedDependency} failed (run {seen.Replay.Record.Id})"),
                TaskState.NotRun => (TaskStanding.Failed, $"not run: {seen.View.Error} (run {seen.Replay.Record.Id})"),
                TaskState.Retrying => (TaskStanding.Retrying, $"after: {seen.View.Error} (run {seen.Replay.Record.Id})"),
                TaskState.Waiting => (TaskStanding.Waiting, $"for {seen.View.Holder} (run {seen.Replay.Record.Id})"),
                _ => (TaskStanding.Pending, leases.TryGetValue(task.TaskId, out var stale)
                    ? $"a lease of {stale.Owner} expired at {stale.Expires.UtcDateTime:HH:mm:ss} UTC: its holder is gone"
                    : null),
            };
            result.Add(new TaskStanding(task, state, detail, outputs));
        }
        return result;
    }

    private static string Running(LeaseHolder holder, TaskView? view)
    {
        var where = holder.Host is null ? holder.Owner : $"{holder.Host} (pid {holder.Pid})";
        var text = $"on {where}" + (holder.RunId is null ? "" : $", run {holder.RunId}")
                   + (holder.Since is { } since ? $", since {since.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC" : "");
        if (view?.Done is { } done && view.Total is { } total)
            text += $", {done}/{total} {view.Unit} ({(total > 0 ? 100.0 * done / total : 100):0}%)";
        if (view?.Attempt > 1) text += $", attempt {view.Attempt}";
        return text;
    }

    /// <summary>Runs in progress, and the newest finished run of this task, newest first (their event logs replayed).</summary>
    private static async Task<IReadOnlyList<RunReplay>> RelevantRunsAsync(RunHistory history, WorkflowTask root, DateTimeOffset now, CancellationToken ct)
    {
        var records = await history.ListAsync(50, ct);
        var relevant = records.Where(r => r.StateAt(now) == RunRecord.Running).ToList();
        if (records.FirstOrDefault(r => r.RootTask == root.TaskId && r.StateAt(now) != RunRecord.Running) is { } last) relevant.Add(last);
        var replays = new List<RunReplay>();
        foreach (var record in relevant.OrderByDescending(r => r.Id, StringComparer.Ordinal))
            if (await RunReplay.LoadAsync(history, record.Id, ct: ct) is { } replay) replays.Add(replay);
        return replays;
    }

    /// <summary>Counts by state, per family (families in name order).</summary>
    public static IReadOnlyList<(string Family, IReadOnlyDictionary<string, int> ByState)> ByFamily(IEnumerable<TaskStanding> statuses) =>
        statuses.GroupBy(s => s.Task.Family).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, (IReadOnlyDictionary<string, int>)g.GroupBy(s => s.State).ToDictionary(x => x.Key, x => x.Count())))
            .ToList();
}
