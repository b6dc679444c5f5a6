using Detect.Engine.History;
using Detect.Engine.Scheduling;

namespace Detect.Engine.Cli;

/// <summary>
/// <c>detect status</c>: where every task of the graph stands now, from any process or machine (see
/// <see cref="LiveStatus"/>), with counts per family. Exit 0 only when the requested task is complete, else 1.
/// </summary>
internal static class StatusCommand
{
    private const int MaxListed = 200;
    private static readonly string[] States =
        [TaskStanding.Complete, TaskStanding.Running, TaskStanding.Retrying, TaskStanding.Waiting, TaskStanding.Failed, TaskStanding.UpstreamFailed, TaskStanding.Pending];

    public static async Task<int> ExecuteAsync(CliApp app, WorkflowTask root, StatusOptions options, CancellationToken ct)
    {
        using var session = new CliApp.Session(options);
        var scheduler = new Scheduler(app.Registry, session.Resolver, new SchedulerOptions(), session.Logger);
        var status = await LiveStatus.ReadAsync(scheduler, session.Resolver, root, ct: ct);
        var listAll = options.All || status.Count <= MaxListed;
        var listed = 0;
        foreach (var s in status.OrderBy(s => Array.IndexOf(States, s.State)).ThenBy(s => s.Task.TaskId, StringComparer.Ordinal))
        {
            if (!listAll && (s.State == TaskStanding.Complete || listed >= MaxListed)) continue;
            listed++;
            await app.Out.WriteLineAsync($"[{Label(s.State)}] {s.Task.TaskId}" + (s.Detail is null ? "" : "  " + s.Detail));
            foreach (var (target, exists) in s.Outputs)
                await app.Out.WriteLineAsync($"      {(exists ? "exists " : "missing")} {session.Resolver.UriOf(target)}");
        }
        if (listed < status.Count)
            await app.Out.WriteLineAsync($"({status.Count - listed} more task(s) not listed: {(listAll ? "" : "complete ones and ")}beyond {MaxListed}; --all lists every one)");

        await app.Out.WriteLineAsync();
        await app.Out.WriteLineAsync($"{"family",-28} {"tasks",7} " + string.Join(" ", States.Select(s => $"{s,9}")));
        foreach (var (family, byState) in LiveStatus.ByFamily(status))
            await app.Out.WriteLineAsync($"{family,-28} {byState.Values.Sum(),7} " + string.Join(" ", States.Select(s => $"{byState.GetValueOrDefault(s),9}")));

        var rootComplete = status.First(s => s.Task.Equals(root)).State == TaskStanding.Complete;
        var counts = status.GroupBy(s => s.State).ToDictionary(g => g.Key, g => g.Count());
        await app.Out.WriteLineAsync("Tasks: " + string.Join(", ", States.Where(counts.ContainsKey).Select(s => $"{counts[s]} {s}")) + ".");
        await app.Out.WriteLineAsync($"{root.TaskId} is {(rootComplete ? "complete" : "not complete")}.");
        return rootComplete ? CliApp.Success : CliApp.Failure;
    }

    private static string Label(string state) => state switch
    {
        TaskStanding.Complete => "complete",
        TaskStanding.Running => "running ",
        TaskStanding.Retrying => "retrying",
        TaskStanding.Waiting => "waiting ",
        TaskStanding.Failed => "failed  ",
        TaskStanding.UpstreamFailed => "upstream",
        _ => "pending ",
    };
}
