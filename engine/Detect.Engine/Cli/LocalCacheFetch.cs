using Detect.Engine.Scheduling;

namespace Detect.Engine.Cli;

/// <summary>
/// For <c>detect run --no-deps</c>: the task's local-cache requirements (a model file fetched from the store into
/// this machine's cache) are made first. They are per-machine copies, not upstream work, and on a fresh node — a
/// CWL step, a Kubernetes pod — nothing else makes them; their inputs are in the store like everything else.
/// </summary>
internal static class LocalCacheFetch
{
    /// <summary>Runs each such requirement with its own dependencies; returns the summary of the first that did not complete, else null.</summary>
    public static async Task<ExecutionSummary?> EnsureAsync(CliApp app, WorkflowTask task, CliApp.Session session, SchedulerOptions options, CancellationToken ct)
    {
        foreach (var fetch in task.Requires().Where(r => !r.InvalidatesDependents && r is not ExternalTask))
        {
            var summary = await new Scheduler(app.Registry, session.Resolver, options with { NoDeps = false }, session.Logger).RunAsync(fetch, ct);
            if (!summary.RootComplete) return summary;
        }
        return null;
    }
}
