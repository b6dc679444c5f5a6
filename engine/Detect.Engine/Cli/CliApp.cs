using CommandLine;
using Detect.Engine.Logging;
using Detect.Engine.Parameters;
using Detect.Engine.Scheduling;
using Detect.Engine.Storage;
using Microsoft.Extensions.Logging;

namespace Detect.Engine.Cli;

/// <summary>
/// The command line of a workflow program: <c>run</c>, <c>deps</c>, <c>describe</c>, <c>list</c>, <c>status</c>,
/// <c>clean</c>, plus verbs the program adds. Exit codes: 0 success, 1 the requested task is not complete,
/// 2 a usage error (unknown task or parameter, unparsable value).
/// </summary>
public sealed class CliApp(TaskRegistry registry, string programName = "detect")
{
    public const int Success = 0, Failure = 1, UsageError = 2, Interrupted = 130;
    private readonly Dictionary<string, (string Help, Func<string[], Task<int>> Handler)> _extraVerbs = new(StringComparer.Ordinal);

    public TextWriter Out { get; init; } = Console.Out;
    public TextWriter Error { get; init; } = Console.Error;

    /// <summary>The task whose graph defines "downstream" for <c>clean --downstream</c> when --root is not given.</summary>
    public string? MainTask { get; init; }

    public TaskRegistry Registry => registry;

    public string ProgramName => programName;

    /// <summary>The arguments of the command being run (for the run record, with secrets masked there).</summary>
    internal IReadOnlyList<string> Arguments { get; private set; } = [];

    public CliApp AddVerb(string verb, string help, Func<string[], Task<int>> handler)
    {
        _extraVerbs[verb] = (help, handler);
        return this;
    }

    public async Task<int> RunAsync(string[] args, CancellationToken ct = default)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help") { PrintUsage(Out); return args.Length == 0 ? UsageError : Success; }
        var verb = args[0];
        Arguments = args;
        try
        {
            var rest = Plugins.TaskAssemblies.LoadInto(registry, args[1..], Environment.GetEnvironmentVariable(Plugins.TaskAssemblies.EnvironmentVariable));
            if (_extraVerbs.TryGetValue(verb, out var extra)) return await extra.Handler(rest);
            return verb switch
            {
                "list" => List(),
                "describe" => Describe(rest),
                "run" => await WithTaskAsync<RunOptions>(rest, (t, o) => RunCommand.ExecuteAsync(this, t, o, ct)),
                "deps" => await WithTaskAsync<DepsOptions>(rest, (t, o) => DepsCommand.ExecuteAsync(this, t, o, ct)),
                "status" => await WithTaskAsync<StatusOptions>(rest, (t, o) => StatusCommand.ExecuteAsync(this, t, o, ct)),
                "clean" => await WithTaskAsync<CleanOptions>(rest, (t, o) => CleanCommand.ExecuteAsync(this, t, o, ct)),
                "runs" => await WithOptionsAsync<RunsOptions>(rest, o => RunsCommand.ExecuteAsync(this, o, ct)),
                "export" => await WithTaskAsync<ExportCwlOptions>(ExportCommand.CwlArguments(rest), (t, o) => ExportCommand.ExecuteAsync(this, t, o, ct)),
                "watch" => await WithTaskAsync<Watch.WatchOptions>(Watch.WatchCommand.Arguments(rest), (t, o) => Watch.WatchCommand.ExecuteAsync(this, t, o, ct)),
                _ => Usage($"Unknown command '{verb}'."),
            };
        }
        catch (ParameterException e) { return Usage(e.Message); }
        catch (StoreException e)
        {
            await Error.WriteLineAsync("error: " + e.Message);
            return Failure;
        }
    }

    private int Usage(string message)
    {
        Error.WriteLine("error: " + message);
        Error.WriteLine($"Run `{programName} --help` for usage.");
        return UsageError;
    }

    private void PrintUsage(TextWriter w)
    {
        w.WriteLine($"usage: {programName} <command> [<Task>] [--param value ...] [options]");
        w.WriteLine();
        w.WriteLine("  run <Task>       run the task and whatever it needs that is missing");
        w.WriteLine("                   [--workers N] [--store URI] [--no-deps] [--retries N] [--timeout S] [--resources gpu=1]");
        w.WriteLine("                   [--notify URL] [--no-history] [--lease-ttl S] [--lease-poll S] [--dry-run] [--<Task>-priority N] [-v]");
        w.WriteLine("  deps <Task>      show the dependency graph, recorded dynamic requirements included [--format tree|mermaid] [--static]");
        w.WriteLine("  describe <Task>  parameters, types, defaults and help");
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
    }

    private int List()
    {
        foreach (var schema in registry.All)
            Out.WriteLine(string.IsNullOrEmpty(schema.Help) ? schema.Family : $"{schema.Family,-28} {schema.Help}");
        return Success;
    }

    private int Describe(string[] args)
    {
        if (args.Length == 0) return Usage("describe needs a task name.");
        var schema = FindSchema(args[0]);
        var example = (WorkflowTask)Activator.CreateInstance(schema.Type)!;
        Out.WriteLine(schema.Family + (string.IsNullOrEmpty(schema.Help) ? "" : " — " + schema.Help));
        if (schema.Parameters.Count == 0) { Out.WriteLine("  (no parameters)"); return Success; }
        foreach (var p in schema.Parameters)
        {
            var value = ParameterParsing.Canonical(p.GetValue(example));
            Out.WriteLine($"  --{p.KebabName,-24} {ParameterParsing.TypeName(p.Type),-14} default: {(value.Length == 0 ? "\"\"" : value)}" +
                          (p.Significant ? "" : "  (insignificant)"));
            if (!string.IsNullOrEmpty(p.Help)) Out.WriteLine($"      {p.Help}");
        }
        return Success;
    }

    internal TaskSchema FindSchema(string family) =>
        registry.Find(family) ?? throw new ParameterException(
            $"Unknown task '{family}'. Known tasks: {string.Join(", ", registry.All.Select(s => s.Family))}.");

    private static readonly Dictionary<Type, (HashSet<string> Names, HashSet<string> Flags)> OptionNames = new();

    private async Task<int> WithTaskAsync<TOptions>(string[] args, Func<WorkflowTask, TOptions, Task<int>> action) where TOptions : GraphOptions
    {
        if (args.Length == 0 || args[0].StartsWith('-')) return Usage("Name the task, e.g. `run Detect --roi bali`.");
        var schema = FindSchema(args[0]);
        var (names, flags) = NamesOf(typeof(TOptions));
        var parsed = TaskArguments.Parse(schema, registry, args[1..], names, flags);

        if (ParseOptions<TOptions>(parsed.VerbArguments, out var errors) is not { } options) return Usage(errors);
        if (options is RunOptions run) run.Priorities = parsed.Priorities;

        using (parsed.Defaults.Activate())
        {
            var task = TaskBuilder.Create(schema, parsed.Parameters);
            return await action(task, options);
        }
    }

    /// <summary>A verb that takes options but no task (e.g. <c>runs</c>).</summary>
    private async Task<int> WithOptionsAsync<TOptions>(string[] args, Func<TOptions, Task<int>> action) where TOptions : GraphOptions
    {
        if (ParseOptions<TOptions>(args, out var errors) is not { } options) return Usage(errors);
        return await action(options);
    }

    private static TOptions? ParseOptions<TOptions>(IEnumerable<string> args, out string errors) where TOptions : class
    {
        TOptions? options = null;
        var problems = new List<string>();
        using (var parser = new Parser(s => { s.HelpWriter = null; s.CaseSensitive = true; s.AllowMultiInstance = true; }))
            parser.ParseArguments<TOptions>(args)
                .WithParsed(o => options = o)
                .WithNotParsed(e => problems.AddRange(e.Select(Describe)));
        errors = string.Join("; ", problems);
        return options;
    }

    private static string Describe(Error e) => e switch
    {
        UnknownOptionError u => $"unknown option --{u.Token}",
        BadFormatConversionError b => $"option --{b.NameInfo.LongName} has a value of the wrong form",
        MissingValueOptionError m => $"option --{m.NameInfo.LongName} needs a value",
        _ => e.Tag.ToString(),
    };

    private static (HashSet<string>, HashSet<string>) NamesOf(Type optionsType)
    {
        lock (OptionNames)
        {
            if (OptionNames.TryGetValue(optionsType, out var known)) return known;
            var names = new HashSet<string>(StringComparer.Ordinal);
            var flags = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in optionsType.GetProperties())
            {
                if (property.GetCustomAttributes(typeof(OptionAttribute), true).FirstOrDefault() is not OptionAttribute a) continue;
                names.Add(a.LongName);
                if (!string.IsNullOrEmpty(a.ShortName)) names.Add(a.ShortName);
                if (property.PropertyType == typeof(bool)) { flags.Add(a.LongName); if (!string.IsNullOrEmpty(a.ShortName)) flags.Add(a.ShortName); }
            }
            return OptionNames[optionsType] = (names, flags);
        }
    }

    /// <summary>The store, resolver and logging a graph verb works with.</summary>
    internal sealed class Session : IDisposable
    {
        public Session(GraphOptions options)
        {
            LoggerFactory = DetectLogging.Create(options.Verbose, options.LogFormat);
            Logger = LoggerFactory.CreateLogger("detect");
            // The cache folder reaches tasks through the resolver (CacheFileTarget, TaskContext.CacheDirectory), never
            // through the process environment: two sessions in one process keep their own caches.
            var storeUri = options.Store ?? Environment.GetEnvironmentVariable("DETECT_STORE");
            Resolver = new TargetResolver(StoreFactory.Open(storeUri), options.CacheDir is { Length: > 0 } cache ? cache : null);
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
