using CommandLine;
using Detect.Engine.Cli;
using Detect.Engine.History;
using Detect.Engine.Parameters;
using Detect.Engine.Scheduling;
using Detect.Engine.Scheduling.Events;
using Detect.Engine.Storage;
using Microsoft.Extensions.Logging;

namespace Detect.Engine.Watch;

/// <summary>The options of <c>watch</c>: what to watch and how often, and (<see cref="ExecutionOptions"/>) how its rows run.</summary>
public sealed class WatchOptions : ExecutionOptions
{
    /// <summary>The watched prefix: the first argument, moved here by <see cref="WatchCommand.Arguments"/>.</summary>
    [Option("watch-prefix", Hidden = true)]
    public string Prefix { get; set; } = "";

    [Option("pattern", Default = "*raw.csv", HelpText = "Trigger files to pick up: a glob over names under the prefix (* and ?; * stops at '/').")]
    public string Pattern { get; set; } = "*raw.csv";

    [Option("interval", Default = "15m", HelpText = "Longest wait between polls, reached by doubling from --min-interval while nothing comes (e.g. 30s, 15m, 1h).")]
    public string Interval { get; set; } = "15m";

    [Option("min-interval", Default = "5s", HelpText = "Wait after a poll that found a trigger.")]
    public string MinInterval { get; set; } = "5s";

    [Option("max-concurrent-runs", Default = 1, HelpText = "Rows run at once (they share --workers and --resources).")]
    public int MaxConcurrentRuns { get; set; } = 1;

    [Option("once", HelpText = "Poll once, process what is there, exit (for cron).")]
    public bool Once { get; set; }
}

/// <summary>
/// <c>detect watch &lt;prefix URI&gt; --task &lt;Task&gt; [--pattern '*raw.csv'] [--param value …] [--store URI]
/// [--interval 15m] [--max-concurrent-runs N] [--once]</c>: runs <c>--task</c> once per row of each trigger file
/// that lands under the prefix (<see cref="TriggerWatcher"/>). Exit codes: 0 (<c>--once</c>) every row of every
/// trigger it took succeeded or there was none; 1 a row failed or a trigger could not be processed; 2 a usage
/// error; 130 stopped by SIGTERM or Ctrl-C (a second one exits at once).
/// </summary>
internal static class WatchCommand
{
    public const int Interrupted = 130;

    /// <summary><c>&lt;prefix&gt; --task T rest…</c> as the graph verbs take it: <c>T rest… --watch-prefix &lt;prefix&gt;</c>.</summary>
    public static string[] Arguments(string[] args)
    {
        const string example = "`watch s3://bucket/incoming --task Detect [--pattern '*raw.csv']`";
        if (args.Length == 0 || args[0].StartsWith('-'))
            throw new ParameterException($"watch needs the prefix to watch first: {example}.");
        var rest = args[1..].ToList();
        var at = rest.FindIndex(a => a == "--task" || a.StartsWith("--task=", StringComparison.Ordinal));
        if (at < 0) throw new ParameterException($"watch needs --task <Task>, the task each row runs: {example}.");
        string task;
        if (rest[at].StartsWith("--task=", StringComparison.Ordinal)) task = rest[at]["--task=".Length..];
        else if (at + 1 < rest.Count && !rest[at + 1].StartsWith('-')) { task = rest[at + 1]; rest.RemoveAt(at + 1); }
        else throw new ParameterException($"--task needs a task name: {example}.");
        rest.RemoveAt(at);
        return [task, .. rest, "--watch-prefix", args[0]];
    }

    public static async Task<int> ExecuteAsync(CliApp app, WorkflowTask template, WatchOptions options, CancellationToken ct)
    {
        var settings = Settings(options);
        var schedulerOptions = SchedulerOptionsOf(options);
        using var triggers = StoreFactory.Open(options.Prefix);
        using var session = new CliApp.Session(options);
        var store = session.Resolver.DefaultStore;
        using var history = options.NoHistory ? null : new RunHistoryWriter(store,
            RunInvocation.Current([app.ProgramName, .. app.Arguments], store.Uri), RunHistoryOptions.ForLeaseTtl(schedulerOptions.LeaseTtl), logger: session.Logger);
        var runner = new RowRunner();
        runner.Scheduler = new Scheduler(app.Registry, session.Resolver,
            schedulerOptions with { Observers = new ISchedulerObserver?[] { history, runner }.OfType<ISchedulerObserver>().ToList() }, session.Logger);
        var tasks = new RowTasks(template.Schema, template.AllParameters());
        var watcher = new TriggerWatcher(triggers, tasks, runner, settings, logger: session.Logger);

        // The program's InterruptSignals cancel ct at the first SIGINT/SIGTERM and exit at once at the second.
        using var onStop = ct.Register(() => session.Logger.LogWarning(
            "Interrupted: stopping — no more polls; running attempts are cancelled and their leases and claims released (again to exit at once)"));
        var report = await watcher.RunAsync(ct);
        var processed = report.Triggers.Count(t => t.Processed);
        await app.Out.WriteLineAsync($"Watched {triggers.Uri}: {processed} trigger(s) processed, " +
                                     $"{report.Triggers.Sum(t => t.Succeeded)} row(s) succeeded, {report.FailedRows} failed" +
                                     (report.Interrupted ? "; interrupted (claims released: the next watcher resumes)." : "."));
        if (report.PollError is { } error) await app.Error.WriteLineAsync($"error: could not poll {triggers.Uri}: {error}");
        if (report.Interrupted) return Interrupted;
        return report.PollError is null && report.AllProcessed && report.FailedRows == 0 ? CliApp.Success : CliApp.Failure;
    }

    private static WatcherSettings Settings(WatchOptions o)
    {
        var settings = new WatcherSettings
        {
            Pattern = o.Pattern,
            Interval = Duration("--interval", o.Interval),
            MinInterval = Duration("--min-interval", o.MinInterval),
            MaxConcurrentRuns = o.MaxConcurrentRuns,
            ClaimTtl = TimeSpan.FromSeconds(o.LeaseTtl),
            Once = o.Once,
        };
        if (settings.MinInterval > settings.Interval) settings = settings with { MinInterval = settings.Interval };
        try { settings.Validate(); }
        catch (ArgumentException e) { throw new ParameterException(e.Message.Split(" (Parameter")[0]); }
        if (o.Prefix.Trim().Length == 0) throw new ParameterException("watch needs the prefix to watch, e.g. s3://bucket/incoming.");
        return settings;
    }

    // Several runs at once: log lines, not one live line.
    private static SchedulerOptions SchedulerOptionsOf(WatchOptions o) => o.SchedulerOptions() with { LiveProgress = false };

    /// <summary>A duration: 90 (seconds), 90s, 15m, 1h, 1.5h.</summary>
    public static TimeSpan Duration(string option, string text)
    {
        var t = text.Trim().ToLowerInvariant();
        var (number, unit) = t.Length > 0 && char.IsLetter(t[^1]) ? (t[..^1], t[^1]) : (t, 's');
        if (!double.TryParse(number, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n) || n <= 0 || unit is not ('s' or 'm' or 'h'))
            throw new ParameterException($"{option} expects a positive duration such as 30s, 15m or 1h, got '{text}'.");
        return unit switch { 'h' => TimeSpan.FromHours(n), 'm' => TimeSpan.FromMinutes(n), _ => TimeSpan.FromSeconds(n) };
    }
}
