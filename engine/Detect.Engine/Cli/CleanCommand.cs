using Detect.Engine.Scheduling;
using Microsoft.Extensions.Logging;

namespace Detect.Engine.Cli;

/// <summary>Deletes a task's outputs (and with --downstream those of its dependents) so the next run redoes them.</summary>
internal static class CleanCommand
{
    public static async Task<int> ExecuteAsync(CliApp app, WorkflowTask task, CleanOptions options, CancellationToken ct)
    {
        using var session = new CliApp.Session(options);
        var tasks = new List<WorkflowTask> { task };
        if (options.Downstream)
        {
            var rootFamily = options.Root ?? app.MainTask ?? task.Family;
            var rootSchema = app.FindSchema(rootFamily);
            var shared = task.AllParameters()
                .Where(p => rootSchema.Find(p.Key) is not null)
                .ToDictionary(p => p.Key, p => p.Value);
            var root = TaskBuilder.Create(rootSchema, shared);
            var scheduler = new Scheduler(app.Registry, session.Resolver, new SchedulerOptions(), session.Logger);
            tasks = (await scheduler.DownstreamAsync(root, task, ct)).ToList();
        }
        var deleted = 0;
        foreach (var t in tasks.Where(t => t is not ExternalTask))
        {
            foreach (var output in t.Output())
            {
                if (!await session.Resolver.ExistsAsync(output, ct)) continue;
                await session.Resolver.DeleteAsync(output, ct);
                deleted++;
                await app.Out.WriteLineAsync($"deleted {session.Resolver.UriOf(output)}");
            }
        }
        session.Logger.LogInformation("cleaned {Tasks} task(s), {Deleted} output(s) deleted", tasks.Count, deleted);
        await app.Out.WriteLineAsync(deleted == 0 ? "nothing to delete" : $"{deleted} output(s) deleted");
        return CliApp.Success;
    }
}
