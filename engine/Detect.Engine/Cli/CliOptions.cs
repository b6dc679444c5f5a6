using System.ComponentModel.DataAnnotations;
using CommandLine;

namespace Detect.Engine.Cli;

/// <summary>
/// An option that may also come from the environment (<c>DETECT_&lt;NAME&gt;</c>, e.g. DETECT_WORKERS) or the config
/// file's <c>[core]</c> section (<c>workers = 4</c>); the command line wins, then the environment, then the file.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class CoreOptionAttribute : Attribute;

/// <summary>Options every verb that resolves a task graph shares.</summary>
public class GraphOptions
{
    /// <summary>Seconds options accept at most (about 31 years): more would overflow a TimeSpan.</summary>
    internal const double MaxSeconds = 1e9;

    [CoreOption]
    [Option("store", HelpText = "Store URI: s3://bucket/prefix, file:///path or a path (default ./detect-data).")]
    public string? Store { get; set; }

    [CoreOption]
    [Option('v', "verbose", HelpText = "Debug logging (and details of unexpected errors).")]
    public bool Verbose { get; set; }

    [CoreOption, AllowedValues("text", "json")]
    [Option("log-format", Default = "text", HelpText = "text or json (one JSON object per line).")]
    public string LogFormat { get; set; } = "text";

    [CoreOption]
    [Option("cache-dir", HelpText = "Local cache (default ~/.cache/detect).")]
    public string? CacheDir { get; set; }
}

/// <summary>
/// Options of the verbs that run tasks (<c>run</c>, <c>watch</c>): parallelism, retries, time limits, resources,
/// leases and history. Declared once so both verbs accept, check and take them from [core] and the environment alike.
/// </summary>
public abstract class ExecutionOptions : GraphOptions
{
    [CoreOption, Range(1, 4096)]
    [Option("workers", Default = 1, HelpText = "Tasks run in parallel.")]
    public int Workers { get; set; } = 1;

    [CoreOption, Range(0, 1000)]
    [Option("retries", Default = 0, HelpText = "Extra attempts for a failed task, with exponential backoff.")]
    public int Retries { get; set; }

    [CoreOption, Range(0.0, MaxSeconds)]
    [Option("retry-delay", Default = 2.0, HelpText = "First backoff delay in seconds (doubles each retry).")]
    public double RetryDelay { get; set; } = 2.0;

    [CoreOption, Range(0.001, MaxSeconds)]
    [Option("timeout", HelpText = "Time limit in seconds for one attempt of any task that sets none.")]
    public double? Timeout { get; set; }

    [CoreOption]
    [Option("resources", Separator = ',', HelpText = "Resource capacities, e.g. gpu=1,memory=4 (unlisted: 1).")]
    public IEnumerable<string> Resources { get; set; } = [];

    [CoreOption, Range(0.001, MaxSeconds)]
    [Option("lease-ttl", Default = 60.0, HelpText = "Seconds after which a lease not renewed (a crashed run's; a stopped watcher's claim) is taken over.")]
    public double LeaseTtl { get; set; } = 60;

    [CoreOption, Range(0.001, MaxSeconds)]
    [Option("lease-poll", Default = 2.0, HelpText = "Longest wait, in seconds, before asking again for a task another process is running (other work runs meanwhile).")]
    public double LeasePoll { get; set; } = 2;

    [CoreOption]
    [Option("no-history", HelpText = "Do not write the run's history (.detect/runs/) to the store.")]
    public bool NoHistory { get; set; }

    /// <summary>
    /// The scheduler settings these options give (ranges were checked where they are declared; the resource specs are
    /// parsed here). The verb adds its own: observers, leases, dependencies, live progress.
    /// </summary>
    /// <exception cref="Parameters.ParameterException">A <c>--resources</c> entry is not name=count.</exception>
    internal Scheduling.SchedulerOptions SchedulerOptions() => new()
    {
        Workers = Workers,
        Retries = Retries,
        RetryDelay = TimeSpan.FromSeconds(RetryDelay),
        // The backoff doubles up to two minutes, or to the first delay when that is longer.
        MaxRetryDelay = TimeSpan.FromSeconds(Math.Max(120, RetryDelay)),
        DefaultTimeout = Timeout is { } t ? TimeSpan.FromSeconds(t) : null,
        ResourceLimits = ResourceLimits(),
        LeaseTtl = TimeSpan.FromSeconds(LeaseTtl),
        LeasePoll = TimeSpan.FromSeconds(LeasePoll),
    };

    private Dictionary<string, int> ResourceLimits()
    {
        var limits = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var spec in Resources)
        {
            var parts = spec.Split('=', 2);
            if (parts.Length != 2 || parts[0].Trim().Length == 0 || !int.TryParse(parts[1], out var n) || n < 1)
                throw new Parameters.ParameterException($"--resources expects name=count with count >= 1 (e.g. gpu=1), got '{spec}'.");
            limits[parts[0].Trim()] = n;
        }
        return limits;
    }
}

public sealed class RunOptions : ExecutionOptions
{
    [Option("no-deps", HelpText = "Run only this task; its requirements must be complete already (local-cache fetches, e.g. model files, are made here first).")]
    public bool NoDeps { get; set; }

    [CoreOption]
    [Option("no-leases", HelpText = "Skip the per-task leases that stop two runs doing one task at once.")]
    public bool NoLeases { get; set; }

    [CoreOption]
    [Option("notify", HelpText = "POST a JSON summary to this URL when the run ends (and at its first failure); may be given several times.")]
    public IEnumerable<string> Notify { get; set; } = [];

    /// <summary>Priorities by task family from <c>--&lt;Task&gt;-priority N</c> (parsed with the task's parameters).</summary>
    public IReadOnlyDictionary<string, int> Priorities { get; set; } = new Dictionary<string, int>();

    [Option("dry-run", HelpText = "List what would run and why (dynamic requirements included where known); run and write nothing.")]
    public bool DryRun { get; set; }
}

public sealed class DepsOptions : GraphOptions
{
    [AllowedValues("tree", "mermaid")]
    [Option("format", Default = "tree", HelpText = "tree or mermaid.")]
    public string Format { get; set; } = "tree";

    [Option("static", HelpText = "Only the requirements the code declares (do not read the dynamic ones recorded in the store).")]
    public bool Static { get; set; }
}

public sealed class StatusOptions : GraphOptions
{
    [Option("all", HelpText = "List every task, also in graphs of more than 200 tasks (complete ones included).")]
    public bool All { get; set; }
}

public sealed class RunsOptions : GraphOptions
{
    [Range(1, int.MaxValue)]
    [Option("limit", Default = 20, HelpText = "How many runs to list (newest first).")]
    public int Limit { get; set; } = 20;
}

public sealed class CleanOptions : GraphOptions
{
    [Option("downstream", HelpText = "Also delete the outputs of every task that depends on this one (within the graph of --root).")]
    public bool Downstream { get; set; }

    [Option("root", HelpText = "The task whose graph defines 'downstream' (default: the program's main task).")]
    public string? Root { get; set; }
}
