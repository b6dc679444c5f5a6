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
        // Ranges and forms of the options were checked where they are declared (RunOptions); what is left needs parsing.
        var notifyUrls = new List<Uri>();
        foreach (var text in options.Notify)
        {
            if (WebhookNotifier.Validate(text, out var url) is { } problem) throw new Parameters.ParameterException(problem);
            notifyUrls.Add(url!);
        }
        var resources = ParseResources(options.Resources);
        using var session = new CliApp.Session(options);
        await StoreWriteCheck.EnsureAsync(session.Resolver.DefaultStore, ct);
        var leaseTtl = TimeSpan.FromSeconds(options.LeaseTtl);
        var store = session.Resolver.DefaultStore;
        using var history = options.NoHistory ? null : new RunHistoryWriter(store,
            RunInvocation.Current([app.ProgramName, .. app.Arguments], store.Uri), RunHistoryOptions.ForLeaseTtl(leaseTtl), logger: session.Logger);
        using var notifier = notifyUrls.Count == 0 ? null : new WebhookNotifier(notifyUrls, store.Uri, session.Logger);
        var schedulerOptions = new SchedulerOptions
        {
            Workers = options.Workers,
            Retries = options.Retries,
            RetryDelay = TimeSpan.FromSeconds(options.RetryDelay),
            // The backoff doubles up to two minutes, or to the first delay when that is longer.
            MaxRetryDelay = TimeSpan.FromSeconds(Math.Max(120, options.RetryDelay)),
            DefaultTimeout = options.Timeout is { } t ? TimeSpan.FromSeconds(t) : null,
            ResourceLimits = resources,
            NoDeps = options.NoDeps,
            UseLeases = !options.NoLeases,
            LeaseTtl = leaseTtl,
            LeasePoll = TimeSpan.FromSeconds(options.LeasePoll),
            LiveProgress = !Console.IsErrorRedirected && !options.Verbose && options.LogFormat != "json",
            Observers = new ISchedulerObserver?[] { history, notifier }.OfType<ISchedulerObserver>().ToList(),
        };
        session.Logger.LogDebug("store {Store}, cache {Cache}", store.Uri, session.Resolver.CacheDirectory);
        if (options.NoDeps && await LocalCacheFetch.EnsureAsync(app, task, session, schedulerOptions, ct) is { } fetchFailed)
        {
            await app.Out.WriteAsync(fetchFailed.Render());
            return CliApp.Failure;
        }
        var scheduler = new Scheduler(app.Registry, session.Resolver, schedulerOptions, session.Logger);
        var summary = await scheduler.RunAsync(task, ct);
        if (store is Storage.S3.S3ObjectStore s3) session.Logger.LogDebug("S3 requests to {Store}: {Requests}", store.Uri, s3.RequestCount);
        await app.Out.WriteAsync(summary.Render());
        if (history?.RunIds.FirstOrDefault() is { } runId)
            await app.Out.WriteLineAsync($"Run {runId}: history in {store.UriOf(RunHistoryLayout.RecordKey(runId))} (`{app.ProgramName} runs`, `{app.ProgramName} serve`).");
        if (summary.RootComplete && task is IDescribesResults describes)
            await app.Out.WriteLineAsync(await describes.DescribeResultsAsync(session.Resolver, ct));
        return summary.RootComplete ? CliApp.Success : CliApp.Failure;
    }

    private static Dictionary<string, int> ParseResources(IEnumerable<string> specs)
    {
        var limits = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            var parts = spec.Split('=', 2);
            if (parts.Length != 2 || parts[0].Trim().Length == 0 || !int.TryParse(parts[1], out var n) || n < 1)
                throw new Parameters.ParameterException($"--resources expects name=count with count >= 1 (e.g. gpu=1), got '{spec}'.");
            limits[parts[0].Trim()] = n;
        }
        return limits;
    }
}
