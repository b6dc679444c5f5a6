using Detect.Engine.Cli.Config;
using Detect.Engine.Logging;
using Detect.Engine.Parameters;
using Detect.Engine.Scheduling;
using Detect.Engine.Storage;
using Microsoft.Extensions.Logging;

namespace Detect.Engine.Cli;

/// <summary>
/// The command line of a workflow program: <c>run</c>, <c>deps</c>, <c>describe</c>, <c>list</c>, <c>status</c>,
/// <c>clean</c>, <c>runs</c>, <c>export</c>, plus verbs the program adds. Exit codes: 0 success, 1 the requested task
/// is not complete (or the store refused), 2 a usage error (found before anything runs: unknown task, parameter or
/// option, a value of the wrong form or out of range, a bad config file, a store that cannot be used as given),
/// 130 interrupted. No input ends in an unhandled exception: an unexpected one is reported in one line (details
/// with -v) and exits 1.
/// </summary>
public sealed class CliApp(TaskRegistry registry, string programName = "detect")
{
    public const int Success = 0, Failure = 1, UsageError = 2, Interrupted = 130;
    private readonly Dictionary<string, (string Help, Func<string[], Task<int>> Handler)> _extraVerbs = new(StringComparer.Ordinal);

    public TextWriter Out { get; init; } = Console.Out;
    public TextWriter Error { get; init; } = Console.Error;

    /// <summary>The task whose graph defines "downstream" for <c>clean --downstream</c> when --root is not given.</summary>
    public string? MainTask { get; init; }

    /// <summary>Where <c>DETECT_*</c> settings are read (tests give their own).</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Where <c>detect.toml</c> is looked for.</summary>
    public string WorkingDirectory { get; init; } = Directory.GetCurrentDirectory();

    public TaskRegistry Registry => registry;

    public string ProgramName => programName;

    /// <summary>The config file of the command being run (<see cref="ConfigSettings.None"/> when there is none).</summary>
    public ConfigSettings Config { get; private set; } = ConfigSettings.None;

    /// <summary>The store a verb uses when not told: DETECT_STORE, else [core] store, else ./detect-data.</summary>
    public string DefaultStoreUri =>
        Environment(OptionSettings.VariableOf("store")) is { Length: > 0 } fromEnvironment ? fromEnvironment
        : Config.Core.TryGetValue("store", out var entry) ? entry.Text
        : StoreFactory.DefaultLocalStore;

    /// <summary>The arguments of the command being run (for the run record, with secrets masked there).</summary>
    internal IReadOnlyList<string> Arguments { get; private set; } = [];

    public CliApp AddVerb(string verb, string help, Func<string[], Task<int>> handler)
    {
        _extraVerbs[verb] = (help, handler);
        return this;
    }

    public async Task<int> RunAsync(string[] args, CancellationToken ct = default)
    {
        try { return await DispatchAsync(args, ct); }
        catch (ParameterException e) { return Usage(e.Message); }
        catch (InvalidStoreKeyException e) { return Usage(e.Message); }
        catch (StoreUsageException e) { return Usage(e.Message); }
        catch (StoreException e)
        {
            await Error.WriteLineAsync("error: " + e.Message);
            return Failure;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await Error.WriteLineAsync("interrupted.");
            return Interrupted;
        }
        catch (Exception e)
        {
            await LastResort.ReportAsync(Error, e, LastResort.Verbose(args, Environment));
            return Failure;
        }
    }

    private async Task<int> DispatchAsync(string[] args, CancellationToken ct)
    {
        if (args.Length == 0) { PrintUsage(Out); return UsageError; }
        if (args[0] is "-h" or "--help" or "help") { PrintUsage(Out); return Success; }
        var verb = args[0];
        Arguments = args;
        var (afterConfig, configFile) = ConfigLocator.Extract(args[1..]);
        var rest = Plugins.TaskAssemblies.LoadInto(registry, afterConfig, Environment(Plugins.TaskAssemblies.EnvironmentVariable));
        Config = ReadConfig(configFile);
        if (_extraVerbs.TryGetValue(verb, out var extra)) return await extra.Handler(rest);
        return verb switch
        {
            "list" => List(),
            "describe" => Describe(rest),
            "run" => await WithTaskAsync<RunOptions>("run", rest, (t, o) => RunCommand.ExecuteAsync(this, t, o, ct)),
            "deps" => await WithTaskAsync<DepsOptions>("deps", rest, (t, o) => DepsCommand.ExecuteAsync(this, t, o, ct)),
            "status" => await WithTaskAsync<StatusOptions>("status", rest, (t, o) => StatusCommand.ExecuteAsync(this, t, o, ct)),
            "clean" => await WithTaskAsync<CleanOptions>("clean", rest, (t, o) => CleanCommand.ExecuteAsync(this, t, o, ct)),
            "runs" => await WithOptionsAsync<RunsOptions>("runs", rest, o => RunsCommand.ExecuteAsync(this, o, ct)),
            "export" => await WithTaskAsync<ExportCwlOptions>("export cwl", ExportCommand.CwlArguments(rest), (t, o) => ExportCommand.ExecuteAsync(this, t, o, ct)),
            "watch" => await WithTaskAsync<Watch.WatchOptions>("watch", Watch.WatchCommand.Arguments(rest), (t, o) => Watch.WatchCommand.ExecuteAsync(this, t, o, ct)),
            _ => Usage($"Unknown command '{verb}'" + (Suggestions.Closest(verb, Verbs) is { } near ? $" (did you mean `{near}`?)" : "") + "."),
        };
    }

    private static readonly string[] BuiltInVerbs = ["list", "describe", "run", "deps", "status", "clean", "runs", "export", "watch"];

    private IEnumerable<string> Verbs => BuiltInVerbs.Concat(_extraVerbs.Keys);

    private ConfigSettings ReadConfig(string? fromCommandLine) =>
        ConfigLocator.Find(fromCommandLine, Environment, WorkingDirectory) is { } found
            ? ConfigSettings.Read(ConfigFile.Load(found.Path), found.FoundBy, registry, OptionSettings.CoreNames)
            : ConfigSettings.None;

    private int Usage(string message)
    {
        Error.WriteLine("error: " + message);
        Error.WriteLine($"Run `{programName} --help` for usage.");
        return UsageError;
    }

    private void PrintUsage(TextWriter w)
    {
        w.WriteLine($"usage: {programName} <command> [<Task>] [--param value ...] [options] [--config FILE]");
        w.WriteLine();
        w.WriteLine("  run <Task>       run the task and whatever it needs that is missing");
        w.WriteLine("                   [--workers N] [--store URI] [--no-deps] [--retries N] [--timeout S] [--resources gpu=1]");
        w.WriteLine("                   [--notify URL] [--no-history] [--lease-ttl S] [--lease-poll S] [--dry-run] [--<Task>-priority N] [-v]");
        w.WriteLine("  deps <Task>      show the dependency graph, recorded dynamic requirements included [--format tree|mermaid] [--static]");
        w.WriteLine("  describe <Task>  parameters: types, accepted values, the value in effect and where it comes from");
        w.WriteLine("  list             all tasks");
        w.WriteLine("  status <Task>    which tasks are complete, running (where, since when, progress), failed (why) or pending;");
        w.WriteLine("                   exit 0 only when the task is complete [--all]");
        w.WriteLine("  runs             the runs recorded in the store, newest first [--limit N]");
        w.WriteLine("  clean <Task>     delete the task's outputs so it reruns [--downstream]");
        w.WriteLine("  watch <prefix URI> --task <Task>  run the task per row of each trigger CSV landing there [--pattern '*raw.csv'] [--interval 15m] [--max-concurrent-runs N] [--once]");
        w.WriteLine("  export cwl <Task>  the incomplete graph as a CWL workflow --store URI (--image detect:<tag> | --no-container) [-o FILE] [--force]");
        foreach (var (verb, (help, _)) in _extraVerbs) w.WriteLine($"  {verb,-16} {help}");
        w.WriteLine();
        w.WriteLine("Task parameters are --kebab-case; --<Task>-<param> value sets a parameter for every instance of <Task>.");
        w.WriteLine("--assembly PATH.dll (or DETECT_ASSEMBLIES, ':'-separated) adds the tasks of a workflow assembly to any command.");
        w.WriteLine($"`{programName} <command> <Task> --help` lists the task's parameters and the command's options.");
        w.WriteLine("Settings: command line > environment (DETECT_<OPTION>, e.g. DETECT_WORKERS) > config file > defaults. The config");
        w.WriteLine($"file is --config FILE, else {ConfigLocator.Variable}, else detect.toml in the working directory ([core] and [<Task>] sections).");
        w.WriteLine("Exit codes: 0 done, 1 the task is not complete (the summary says why), 2 usage error, 130 interrupted.");
    }

    private int List()
    {
        foreach (var schema in registry.All)
            Out.WriteLine(string.IsNullOrEmpty(schema.Help) ? schema.Family : $"{schema.Family,-28} {schema.Help}");
        return Success;
    }

    private int Describe(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-')) return Usage("describe needs a task name, e.g. `describe Detect`.");
        var schema = FindSchema(args[0]);
        if (IsHelp(args[1..])) { TaskHelp.Usage(Out, programName, "run", schema, typeof(RunOptions)); return Success; }
        TaskHelp.Describe(Out, GraphCommand<RunOptions>.Parse(this, schema, args[1..]), Config);
        return Success;
    }

    internal TaskSchema FindSchema(string family) =>
        registry.Find(family) ?? throw new ParameterException(
            $"Unknown task '{family}'" + (Suggestions.Closest(family, registry.All.Select(s => s.Family)) is { } near ? $" (did you mean {near}?)" : "") +
            $". Known tasks: {string.Join(", ", registry.All.Select(s => s.Family))}.");

    private static bool IsHelp(IEnumerable<string> args) => args.Any(a => a is "--help" or "-h");

    private async Task<int> WithTaskAsync<TOptions>(string verb, string[] args, Func<WorkflowTask, TOptions, Task<int>> action) where TOptions : GraphOptions
    {
        if (args.Length == 0 || args[0].StartsWith('-'))
            return Usage($"Name the task, e.g. `{verb} {MainTask ?? "<Task>"}`; `{programName} list` lists them, `{verb} <Task> --help` shows one's parameters.");
        var schema = FindSchema(args[0]);
        if (IsHelp(args[1..])) { TaskHelp.Usage(Out, programName, verb, schema, typeof(TOptions)); return Success; }
        var command = GraphCommand<TOptions>.Parse(this, schema, args[1..]);
        using (command.Defaults.Activate()) return await action(command.Task, command.Options);
    }

    /// <summary>A verb that takes options but no task (e.g. <c>runs</c>).</summary>
    private async Task<int> WithOptionsAsync<TOptions>(string verb, string[] args, Func<TOptions, Task<int>> action) where TOptions : GraphOptions
    {
        if (IsHelp(args))
        {
            Out.WriteLine($"usage: {programName} {verb} [options]");
            TaskHelp.Options(Out, typeof(TOptions));
            return Success;
        }
        return await action(GraphCommand<TOptions>.ParseOptionsOnly(this, args));
    }

    /// <summary>The store, resolver and logging a graph verb works with.</summary>
    internal sealed class Session : IDisposable
    {
        public Session(GraphOptions options)
        {
            // The cache folder reaches tasks through the resolver (CacheFileTarget, TaskContext.CacheDirectory), never
            // through the process environment: two sessions in one process keep their own caches.
            var cache = options.CacheDir is { Length: > 0 } folder ? CacheFolder.Prepare(folder) : null;
            var store = StoreFactory.Open(options.Store);
            LoggerFactory = DetectLogging.Create(options.Verbose, options.LogFormat);
            Logger = LoggerFactory.CreateLogger("detect");
            Resolver = new TargetResolver(store, cache);
        }

        public ILoggerFactory LoggerFactory { get; }
        public ILogger Logger { get; }
        public TargetResolver Resolver { get; }

        public void Dispose()
        {
            Resolver.Dispose();
            Resolver.DefaultStore.Dispose();
            LoggerFactory.Dispose();
        }
    }
}
