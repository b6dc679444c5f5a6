using System.Globalization;
using Detect.Engine.Cli.Config;
using Detect.Engine.Parameters;

namespace Detect.Engine.Cli;

/// <summary>
/// What <c>&lt;verb&gt; &lt;Task&gt; --help</c> and <c>describe</c> print: the task's parameters with type, accepted
/// values (enum values, ranges), default and help; the verb's options; and for <c>describe</c> the value each one
/// takes now and where it comes from (command line, environment, config file:line, default).
/// </summary>
internal static class TaskHelp
{
    /// <summary><c>run Detect --help</c>: how to call the verb on this task.</summary>
    public static void Usage(TextWriter w, string program, string verb, TaskSchema schema, Type optionsType)
    {
        w.WriteLine($"usage: {program} {verb} {schema.Family} [--parameter value ...] [options]");
        Title(w, schema);
        w.WriteLine();
        w.WriteLine("Parameters:");
        var example = (WorkflowTask)Activator.CreateInstance(schema.Type)!;
        foreach (var p in schema.Parameters)
            Parameter(w, p, $"default: {Shown(ParameterParsing.Canonical(p.GetValue(example)))}");
        if (schema.Parameters.Count == 0) w.WriteLine("  (none)");
        w.WriteLine();
        w.WriteLine($"Options of `{verb}`:");
        Options(w, optionsType, null, null);
        w.WriteLine();
        w.WriteLine($"Set another task's parameter with --<Task>-<parameter> (e.g. --{schema.Family}-<parameter>); options and parameters may also");
        w.WriteLine($"come from the config file (detect.toml: [core] and [<Task>] sections). `{program} describe {schema.Family}` shows what is in effect.");
    }

    /// <summary><c>describe Detect [--param value ...]</c>: the values in effect and their sources.</summary>
    public static void Describe(TextWriter w, GraphCommand<RunOptions> command, ConfigSettings config)
    {
        Title(w, command.Schema);
        w.WriteLine(config.File is null
            ? $"Config: none (no --config, {ConfigLocator.Variable} or {string.Join("/", ConfigLocator.LocalNames)} in the working directory)."
            : $"Config: {config.File.Path} (from {config.FoundBy}).");
        w.WriteLine();
        w.WriteLine("Parameters (value in effect, and where it comes from):");
        foreach (var p in command.Schema.Parameters)
            Parameter(w, p, $"{Shown(ParameterParsing.Canonical(p.GetValue(command.Task)))}  ({command.ParameterSources[p.KebabName]})");
        if (command.Schema.Parameters.Count == 0) w.WriteLine("  (no parameters)");
        w.WriteLine();
        w.WriteLine("Run options (command line > environment > config [core] > default):");
        Options(w, typeof(RunOptions), command.Options, command.OptionSources);
    }

    private static void Title(TextWriter w, TaskSchema schema) =>
        w.WriteLine(schema.Family + (string.IsNullOrEmpty(schema.Help) ? "" : " — " + schema.Help));

    private static void Parameter(TextWriter w, TaskParameter p, string value)
    {
        w.WriteLine($"  --{p.KebabName,-24} {ParameterParsing.TypeName(p.Type),-14} {value}" + (p.Significant ? "" : "  (insignificant)"));
        var accepts = Accepts(p.Type, p.Rules);
        var help = string.Join("; ", new[] { p.Help, accepts }.Where(s => !string.IsNullOrEmpty(s)));
        if (help.Length > 0) w.WriteLine($"      {help}");
    }

    /// <summary>A verb's options with their form, help, default, rules and environment variable.</summary>
    public static void Options(TextWriter w, Type optionsType) => Options(w, optionsType, null, null);

    private static void Options(TextWriter w, Type optionsType, object? values, IReadOnlyDictionary<string, ValueSource>? sources)
    {
        foreach (var (property, a, core) in OptionSettings.Declared(optionsType).OrderBy(o => o.Attribute.LongName, StringComparer.Ordinal))
        {
            if (values is not null && !core) continue;
            var name = (string.IsNullOrEmpty(a.ShortName) ? "" : $"-{a.ShortName}, ") + "--" + a.LongName;
            var isFlag = property.PropertyType == typeof(bool);
            if (values is null)
            {
                var form = isFlag ? "" : " " + ParameterParsing.TypeName(property.PropertyType).ToUpperInvariant().Replace("LIST<STRING>", "A,B");
                var rules = ParameterRules.Describe(property);
                var defaultText = a.Default is null or false ? "" : $"default {Convert.ToString(a.Default, CultureInfo.InvariantCulture)}";
                var extra = string.Join("; ", new[] { defaultText, rules, core ? $"env {OptionSettings.VariableOf(a.LongName)}" : "" }.Where(s => s.Length > 0));
                w.WriteLine($"  {name + form,-26} {a.HelpText}" + (extra.Length > 0 ? $" ({extra})" : ""));
            }
            else
            {
                var value = property.GetValue(values);
                w.WriteLine($"  --{a.LongName,-14} {Shown(ParameterParsing.Canonical(value)),-24} ({sources![a.LongName]})");
            }
        }
    }

    /// <summary>What a parameter accepts beyond its type: enum values, declared rules.</summary>
    private static string Accepts(Type type, string rules)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        var parts = new List<string>();
        if (t.IsEnum) parts.Add("one of " + string.Join(", ", Enum.GetNames(t).Select(ParameterParsing.ToKebab)));
        if (rules.Length > 0) parts.Add(rules);
        return string.Join("; ", parts);
    }

    private static string Shown(string value) => value.Length == 0 ? "\"\"" : value;
}
