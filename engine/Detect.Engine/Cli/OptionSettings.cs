using System.Reflection;
using CommandLine;
using Detect.Engine.Cli.Config;
using Detect.Engine.Parameters;

namespace Detect.Engine.Cli;

/// <summary>
/// The options of one verb as they take effect: what the command line gave, else <c>DETECT_&lt;NAME&gt;</c> from the
/// environment, else <c>[core]</c> of the config file, else the default (only for <see cref="CoreOptionAttribute"/>
/// options); then every option's declared rules (<see cref="ParameterRules"/>) checked, naming where a bad value came from.
/// </summary>
public static class OptionSettings
{
    /// <summary>The long names of every option that [core] and the environment may set.</summary>
    public static IReadOnlyList<string> CoreNames { get; } =
        new[] { typeof(GraphOptions), typeof(RunOptions) }.SelectMany(Declared).Where(o => o.Core).Select(o => o.Attribute.LongName).Distinct().ToList();

    public static string VariableOf(string longName) => "DETECT_" + longName.ToUpperInvariant().Replace('-', '_');

    /// <summary>Fills and checks <paramref name="options"/>; returns each option's source by long name.</summary>
    /// <param name="commandLine">The verb's own arguments as given (to see which options the user set there).</param>
    public static IReadOnlyDictionary<string, ValueSource> Complete(object options, IReadOnlyList<string> commandLine,
        ConfigSettings config, Func<string, string?> environment)
    {
        var given = GivenNames(commandLine, options.GetType());
        var sources = new Dictionary<string, ValueSource>(StringComparer.Ordinal);
        foreach (var option in Declared(options.GetType()))
        {
            var name = option.Attribute.LongName;
            if (given.Contains(name)) { sources[name] = ValueSource.CommandLine; continue; }
            sources[name] = ValueSource.Default;
            if (!option.Core) continue;
            var variable = VariableOf(name);
            if (environment(variable) is { Length: > 0 } text)
            {
                Set(options, option.Property, text, $"{variable}={text}");
                sources[name] = ValueSource.Environment(variable);
            }
            else if (config.Core.TryGetValue(name, out var entry))
            {
                Set(options, option.Property, entry.Text, $"{entry.Where}: [core] {entry.Key} = '{entry.Text}'");
                sources[name] = ValueSource.Config(entry);
            }
        }
        foreach (var option in Declared(options.GetType()))
        {
            var value = option.Property.GetValue(options);
            if (ParameterRules.Check(option.Property, value) is not { } problem) continue;
            var name = option.Attribute.LongName;
            var from = sources[name] == ValueSource.CommandLine ? "" : $" (from {sources[name]})";
            throw new ParameterException($"--{name} {ParameterParsing.Quoted(value)}{from} {problem}.");
        }
        return sources;
    }

    /// <summary>Every option a verb's options type declares, with whether [core] and the environment may set it.</summary>
    public static IEnumerable<(PropertyInfo Property, OptionAttribute Attribute, bool Core)> Declared(Type optionsType) =>
        optionsType.GetProperties()
            .Select(p => (p, a: p.GetCustomAttribute<OptionAttribute>(true), core: p.GetCustomAttribute<CoreOptionAttribute>(true) is not null))
            .Where(x => x.a is not null)
            .Select(x => (x.p, x.a!, x.core));

    private static void Set(object options, PropertyInfo property, string text, string where)
    {
        if (!ParameterParsing.TryParse(property.PropertyType, text, out var value))
            throw new ParameterException($"{where}: expected {ParameterParsing.ExpectedForm(property.PropertyType)}.");
        property.SetValue(options, value);
    }

    private static HashSet<string> GivenNames(IReadOnlyList<string> args, Type optionsType)
    {
        var shortToLong = Declared(optionsType).Where(o => !string.IsNullOrEmpty(o.Attribute.ShortName))
            .ToDictionary(o => o.Attribute.ShortName, o => o.Attribute.LongName);
        var given = new HashSet<string>(StringComparer.Ordinal);
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2) given.Add(arg[2..].Split('=', 2)[0]);
            else if (arg.Length == 2 && arg[0] == '-' && shortToLong.TryGetValue(arg[1..], out var longName)) given.Add(longName);
        }
        return given;
    }
}
