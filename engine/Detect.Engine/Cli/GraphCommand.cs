using CommandLine;
using Detect.Engine.Cli.Config;
using Detect.Engine.Parameters;
using Detect.Engine.Scheduling;

namespace Detect.Engine.Cli;

/// <summary>
/// A graph verb's command line resolved, before anything runs: the task (its parameters checked), the verb's
/// options (filled from the environment and config, checked), the per-family defaults tasks are built with
/// (config sections, then <c>--&lt;Task&gt;-&lt;param&gt;</c>), and where every value came from.
/// </summary>
internal sealed class GraphCommand<TOptions> where TOptions : GraphOptions
{
    private GraphCommand(TaskSchema schema, WorkflowTask task, TOptions options, ParameterDefaults defaults,
        IReadOnlyDictionary<string, ValueSource> optionSources, IReadOnlyDictionary<string, ValueSource> parameterSources)
    {
        Schema = schema;
        Task = task;
        Options = options;
        Defaults = defaults;
        OptionSources = optionSources;
        ParameterSources = parameterSources;
    }

    public TaskSchema Schema { get; }
    public WorkflowTask Task { get; }
    public TOptions Options { get; }

    /// <summary>Activate while the command builds and runs tasks.</summary>
    public ParameterDefaults Defaults { get; }

    /// <summary>By option long name.</summary>
    public IReadOnlyDictionary<string, ValueSource> OptionSources { get; }

    /// <summary>The requested task's parameters, by kebab-case name.</summary>
    public IReadOnlyDictionary<string, ValueSource> ParameterSources { get; }

    /// <exception cref="ParameterException">Anything unknown, malformed or out of range, naming it and where it came from.</exception>
    public static GraphCommand<TOptions> Parse(CliApp app, TaskSchema schema, IReadOnlyList<string> args)
    {
        var (names, flags) = OptionNames.Of(typeof(TOptions));
        var parsed = TaskArguments.Parse(schema, app.Registry, args, names, flags);
        var options = ParseOptions(parsed.VerbArguments);
        if (options is RunOptions run) run.Priorities = parsed.Priorities;
        var optionSources = OptionSettings.Complete(options, parsed.VerbArguments, app.Config, app.Environment);

        var defaults = new ParameterDefaults();
        var familySources = new Dictionary<(string Family, string Property), ValueSource>();
        foreach (var (family, parameter, value, entry) in app.Config.TaskValues)
        {
            defaults.Set(family, parameter.Name, value);
            familySources[(family, parameter.Name)] = ValueSource.Config(entry);
        }
        foreach (var (family, property, value) in parsed.Defaults.Values)
        {
            defaults.Set(family, property, value);
            var kebab = app.Registry.Find(family)!.Parameters.First(p => p.Name == property).KebabName;
            familySources[(family, property)] = ValueSource.CommandLineFamily($"--{family}-{kebab}");
        }

        WorkflowTask task;
        using (defaults.Activate())
        {
            task = TaskBuilder.Create(schema, parsed.Parameters);
            ParameterValidation.Validate(task);
        }
        var parameterSources = schema.Parameters.ToDictionary(p => p.KebabName,
            p => parsed.Parameters.ContainsKey(p.KebabName) ? ValueSource.CommandLine
                : familySources.GetValueOrDefault((schema.Family, p.Name), ValueSource.Default));
        return new GraphCommand<TOptions>(schema, task, options, defaults, optionSources, parameterSources);
    }

    /// <summary>A verb's options alone (a verb without a task, e.g. <c>runs</c>), filled and checked the same way.</summary>
    public static TOptions ParseOptionsOnly(CliApp app, IReadOnlyList<string> args)
    {
        var options = ParseOptions(args);
        OptionSettings.Complete(options, args, app.Config, app.Environment);
        return options;
    }

    private static TOptions ParseOptions(IEnumerable<string> args)
    {
        TOptions? options = null;
        var problems = new List<string>();
        using (var parser = new Parser(s => { s.HelpWriter = null; s.CaseSensitive = true; s.AllowMultiInstance = true; }))
            parser.ParseArguments<TOptions>(args)
                .WithParsed(o => options = o)
                .WithNotParsed(e => problems.AddRange(e.Select(Describe)));
        return options ?? throw new ParameterException(string.Join("; ", problems) + ".");
    }

    private static string Describe(Error e) => e switch
    {
        UnknownOptionError u => $"unknown option --{u.Token}" + DidYouMean(u.Token),
        BadFormatConversionError b => $"option --{b.NameInfo.LongName} has a value of the wrong form",
        MissingValueOptionError m => $"option --{m.NameInfo.LongName} needs a value",
        RepeatedOptionError r => $"option --{r.NameInfo.LongName} is given twice",
        _ => e.Tag.ToString(),
    };

    private static string DidYouMean(string token) =>
        Suggestions.Closest(token, OptionSettings.Declared(typeof(TOptions)).Select(o => o.Attribute.LongName)) is { } near ? $" (did you mean --{near}?)" : "";
}

/// <summary>The option names (long, and short letters) and the flags among them, per options type.</summary>
internal static class OptionNames
{
    private static readonly Dictionary<Type, (HashSet<string> Names, HashSet<string> Flags)> Known = new();

    public static (HashSet<string> Names, HashSet<string> Flags) Of(Type optionsType)
    {
        lock (Known)
        {
            if (Known.TryGetValue(optionsType, out var known)) return known;
            var names = new HashSet<string>(StringComparer.Ordinal);
            var flags = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (property, a, _) in OptionSettings.Declared(optionsType))
            {
                names.Add(a.LongName);
                if (!string.IsNullOrEmpty(a.ShortName)) names.Add(a.ShortName);
                if (property.PropertyType != typeof(bool)) continue;
                flags.Add(a.LongName);
                if (!string.IsNullOrEmpty(a.ShortName)) flags.Add(a.ShortName);
            }
            return Known[optionsType] = (names, flags);
        }
    }
}
