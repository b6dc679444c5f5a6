using Detect.Engine.History;

namespace Detect.Engine.Cli;

/// <summary><c>detect runs</c>: the runs recorded in the store, newest first — outcome, duration, what their tasks did.</summary>
internal static class RunsCommand
{
    public static async Task<int> ExecuteAsync(CliApp app, RunsOptions options, CancellationToken ct)
    {
        using var session = new CliApp.Session(options);
        var history = new RunHistory(session.Resolver.DefaultStore);
        var runs = await history.ListAsync(options.Limit, ct);
        if (runs.Count == 0)
        {
            await app.Out.WriteLineAsync($"No runs recorded in {session.Resolver.DefaultStore.Uri} yet.");
            return CliApp.Success;
        }
        var now = DateTimeOffset.UtcNow;
        await app.Out.WriteLineAsync($"{"RUN",-26}  {"STARTED (UTC)",-19}  {"DURATION",8}  {"OUTCOME",-11}  {"TASKS",6}  {"RAN",6}  {"FAILED",6}  {"UPSTREAM",8}  {"ELSEWHERE",9}  ROOT");
        foreach (var run in runs)
        {
            var state = run.StateAt(now);
            var end = run.Ended ?? (state == "abnormal" ? run.Updated : now);
            var outcome = state == "abnormal" ? "abnormal" : state;
            var c = run.Counts;
            await app.Out.WriteLineAsync($"{run.Id,-26}  {run.Started.UtcDateTime:yyyy-MM-dd HH:mm:ss}  {Duration(end - run.Started),8}  {outcome,-11}  " +
                                         $"{run.Tasks,6}  {c.Ran,6}  {c.Failed,6}  {c.UpstreamFailed,8}  {c.CompletedElsewhere,9}  {run.RootTask}");
            if (run.Trigger is { } trigger) await app.Out.WriteLineAsync($"{"",28}trigger {trigger.Uri} row {trigger.Row}");
            if (state == "abnormal")
                await app.Out.WriteLineAsync($"{"",28}ended abnormally: no word from {run.Host} (pid {run.Pid}) since {run.Updated.UtcDateTime:HH:mm:ss} UTC");
        }
        return CliApp.Success;
    }

    public static string Duration(TimeSpan t) =>
        t.TotalSeconds < 60 ? $"{t.TotalSeconds:0.0}s" : t.TotalHours < 1 ? $"{(int)t.TotalMinutes}m{t.Seconds:00}s" : $"{(int)t.TotalHours}h{t.Minutes:00}m";
}
