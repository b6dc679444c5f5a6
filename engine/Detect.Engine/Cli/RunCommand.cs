using Detect.Engine.History;
using Detect.Engine.Notifications;
using Detect.Engine.Scheduling;
using Detect.Engine.Scheduling.Events;
using Microsoft.Extensions.Logging;

namespace Detect.Engine.Cli;

internal static class RunCommand
{
    public static async Task<int> ExecuteAsync(CliApp app, WorkflowTask task, RunOptions options, CancellationToken ct)
    {
        // Ranges and forms of the options were checked where they are declared (ExecutionOptions, RunOptions); what is left needs parsing.
        var notifyUrls = new List<Uri>();
        foreach (var text in options.Notify)
        {
            if (WebhookNotifier.Validate(text, out var url) is { } problem) throw new Parameters.ParameterException(problem);
            notifyUrls.Add(url!);
        }
        var schedulerOptions = options.SchedulerOptions();
        using var session = new CliApp.Session(options);
        if (options.DryRun) return await DryRunAsync(app, task, options, session, ct); // writes nothing, so checks no write
        await StoreWriteCheck.EnsureAsync(session.Resolver.DefaultStore, ct);
        var store = session.Resolver.DefaultStore;
        using var history = options.NoHistory ? null : new RunHistoryWriter(store,
            RunInvocation.Current([app.ProgramName, .. app.Arguments], store.Uri), RunHistoryOptions.ForLeaseTtl(schedulerOptions.LeaseTtl), logger: session.Logger);
        using var notifier = notifyUrls.Count == 0 ? null : new WebhookNotifier(notifyUrls, store.Uri, session.Logger);
        schedulerOptions = schedulerOptions with
        {
            NoDeps = options.NoDeps,
            FamilyPriorities = options.Priorities,
            UseLeases = !options.NoLeases,
            LiveProgress = !Console.IsErrorRedirected && !options.Verbose && options.LogFormat != "json",
            Observers = new ISchedulerObserver?[] { history, notifier }.OfType<ISchedulerObserver>().ToList(),
        };
        session.Logger.LogDebug("store {Store}, cache {Cache}", store.Uri, session.Resolver.CacheDirectory);
        using var announce = ct.Register(() => app.Error.WriteLine(
            "Interrupted: stopping the running tasks, releasing their leases (press Ctrl-C again to exit at once)."));
        ExecutionSummary summary;
        try
        {
            // (an interrupted fetch throws RunInterruptedException: its summary is printed below, exit 130)
            if (options.NoDeps && await LocalCacheFetch.EnsureAsync(app, task, session, schedulerOptions, ct) is { } fetchFailed)
            {
                await app.Out.WriteAsync(fetchFailed.Render());
                return CliApp.Failure;
            }
            summary = await new Scheduler(app.Registry, session.Resolver, schedulerOptions, session.Logger).RunAsync(task, ct);
        }
        catch (RunInterruptedException interrupted) { summary = interrupted.Summary; }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await app.Out.WriteLineAsync($"Interrupted while resolving the graph of {task.TaskId}: nothing ran.");
            return CliApp.Interrupted;
        }
        if (store is Storage.S3.S3ObjectStore s3) session.Logger.LogDebug("S3 requests to {Store}: {Requests}", store.Uri, s3.RequestCount);
        await app.Out.WriteAsync(summary.Render());
        if (history?.RunIds.FirstOrDefault() is { } runId)
            await app.Out.WriteLineAsync($"Run {runId}: history in {store.UriOf(RunHistoryLayout.RecordKey(runId))} (`{app.ProgramName} runs`, `{app.ProgramName} serve`).");
        if (summary.RootComplete && task is IDescribesResults describes)
            await app.Out.WriteLineAsync(await describes.DescribeResultsAsync(session.Resolver, CancellationToken.None)); // complete: a short read, not interrupted
        return summary.RootComplete ? CliApp.Success : summary.Interrupted ? CliApp.Interrupted : CliApp.Failure;
    }

    /// <summary><c>--dry-run</c>: what would run and why; nothing runs, nothing is written (no history, no leases).</summary>
    private static async Task<int> DryRunAsync(CliApp app, WorkflowTask task, RunOptions options, CliApp.Session session, CancellationToken ct)
    {
        var scheduler = new Scheduler(app.Registry, session.Resolver, new SchedulerOptions { NoDeps = options.NoDeps, UseLeases = false }, session.Logger);
        try { await app.Out.WriteAsync((await scheduler.DryRunAsync(task, ct)).Render()); }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await app.Out.WriteLineAsync("Interrupted: the dry run did not finish.");
            return CliApp.Interrupted;
        }
        return CliApp.Success;
    }
}
