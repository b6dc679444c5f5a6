using Detect.Engine.Scheduling;

namespace Detect.Engine.Cli;

/// <summary>Resolves the graph against the store and prints, per task, whether it is complete and which outputs exist.</summary>
internal static class StatusCommand
{
    public static async Task<int> ExecuteAsync(CliApp app, WorkflowTask root, StatusOptions options, CancellationToken ct)
    {
        using var session = new CliApp.Session(options);
        var scheduler = new Scheduler(app.Registry, session.Resolver, new SchedulerOptions(), session.Logger);
        var status = await scheduler.StatusAsync(root, ct);
        foreach (var (task, complete, outputs) in status)
        {
            await app.Out.WriteLineAsync($"[{(complete ? "complete" : "pending ")}] {task.TaskId}");
            foreach (var (target, exists) in outputs)
                await app.Out.WriteLineAsync($"      {(exists ? "exists " : "missing")} {session.Resolver.UriOf(target)}");
        }
        var rootComplete = status.First(s => s.Task.Equals(root)).Complete;
        await app.Out.WriteLineAsync($"{root.TaskId} is {(rootComplete ? "complete" : "not complete")}.");
        return CliApp.Success;
    }
}
