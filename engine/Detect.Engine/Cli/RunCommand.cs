using Detect.Engine.Scheduling;
using Microsoft.Extensions.Logging;

namespace Detect.Engine.Cli;

internal static class RunCommand
{
    public static async Task<int> ExecuteAsync(CliApp app, WorkflowTask task, RunOptions options, CancellationToken ct)
    {
        if (options.Workers < 1) throw new Parameters.ParameterException($"--workers must be at least 1, got {options.Workers}.");
        using var session = new CliApp.Session(options);
        var schedulerOptions = new SchedulerOptions
        {
            Workers = options.Workers,
            Retries = Math.Max(0, options.Retries),
            RetryDelay = TimeSpan.FromSeconds(Math.Max(0, options.RetryDelay)),
            DefaultTimeout = options.Timeout is { } t ? TimeSpan.FromSeconds(t) : null,
            ResourceLimits = ParseResources(options.Resources),
            NoDeps = options.NoDeps,
            UseLeases = !options.NoLeases,
            LeaseTtl = TimeSpan.FromSeconds(options.LeaseTtl > 0 ? options.LeaseTtl
                : throw new Parameters.ParameterException($"--lease-ttl must be positive, got {options.LeaseTtl}.")),
            LiveProgress = !Console.IsErrorRedirected && !options.Verbose && options.LogFormat != "json",
        };
        session.Logger.LogDebug("store {Store}, cache {Cache}", session.Resolver.DefaultStore.Uri, session.Resolver.CacheDirectory);
        if (options.NoDeps && await LocalCacheFetch.EnsureAsync(app, task, session, schedulerOptions, ct) is { } fetchFailed)
        {
            await app.Out.WriteAsync(fetchFailed.Render());
            return CliApp.Failure;
        }
        var scheduler = new Scheduler(app.Registry, session.Resolver, schedulerOptions, session.Logger);
        var summary = await scheduler.RunAsync(task, ct);
        await app.Out.WriteAsync(summary.Render());
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
            if (parts.Length != 2 || !int.TryParse(parts[1], out var n) || n < 1)
                throw new Parameters.ParameterException($"--resources expects name=count with count >= 1 (e.g. gpu=1), got '{spec}'.");
            limits[parts[0].Trim()] = n;
        }
        return limits;
    }
}
