using Detect.Engine.Parameters;
using Detect.Engine.Scheduling;

namespace Detect.Engine.Cli;

/// <summary>
/// Splits a command line after <c>verb Task</c> into the task's parameters (<c>--start-date 2019-01-01</c>),
/// per-family defaults (<c>--Heatmap-batch-size 4096</c>) and the verb's own options, which are left for
/// CommandLineParser.
/// </summary>
public sealed class TaskArguments
{
    public Dictionary<string, string> Parameters { get; } = new(StringComparer.Ordinal);
    public ParameterDefaults Defaults { get; } = new();

    /// <summary>Scheduling priorities by family, from <c>--&lt;Task&gt;-priority N</c> (for families without a parameter of that name).</summary>
    public Dictionary<string, int> Priorities { get; } = new(StringComparer.Ordinal);
    public List<string> VerbArguments { get; } = [];

    /// <param name="verbOptionNames">Long names (without --) and short letters the verb itself accepts.</param>
    /// <param name="flagOptions">Verb options that take no value.</param>
    public static TaskArguments Parse(TaskSchema schema, TaskRegistry registry, IReadOnlyList<string> args,
        ISet<string> verbOptionNames, ISet<string> flagOptions)
    {
        var result = new TaskArguments();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg == "--")
            {
                if (arg.StartsWith('-') && arg.Length == 2 && verbOptionNames.Contains(arg[1..]))
                {
                    result.VerbArguments.Add(arg);
                    if (!flagOptions.Contains(arg[1..]) && i + 1 < args.Count) result.VerbArguments.Add(args[++i]);
                    continue;
                }
                throw new ParameterException($"Unexpected argument '{arg}'. Parameters are given as --name value.");
            }
            var (name, inlineValue) = SplitInline(arg[2..]);
            if (verbOptionNames.Contains(name))
            {
                result.VerbArguments.Add(arg);
                if (inlineValue is null && !flagOptions.Contains(name) && i + 1 < args.Count) result.VerbArguments.Add(args[++i]);
                continue;
            }
            if (schema.Find(name) is { } parameter)
            {
                var value = inlineValue ?? TakeValue(args, ref i, parameter, schema.Family);
                if (!result.Parameters.TryAdd(parameter.KebabName, value))
                    throw new ParameterException($"--{parameter.KebabName} is given twice ('{result.Parameters[parameter.KebabName]}' and '{value}'): give it once.");
                continue;
            }
            if (FindFamilyParameter(registry, name) is { } familyParameter)
            {
                var (family, p) = familyParameter;
                var value = inlineValue ?? TakeValue(args, ref i, p, family.Family);
                result.Defaults.Set(family.Family, p.Name, p.Parse(value, family.Family));
                continue;
            }
            if (PriorityFamily(registry, name) is { } prioritized)
            {
                var text = inlineValue ?? (i + 1 < args.Count ? args[++i] : "");
                result.Priorities[prioritized] = int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var priority)
                    ? priority
                    : throw new ParameterException($"--{name} expects a whole number (higher starts first, default 0), got '{text}'.");
                continue;
            }
            var near = Suggestions.Closest(name, schema.Parameters.Select(p => p.KebabName).Concat(verbOptionNames.Where(n => n.Length > 1)));
            throw new ParameterException(
                $"Unknown parameter --{name} for {schema.Family}" + (near is null ? "" : $" (did you mean --{near}?)") + ". Its parameters: " +
                (schema.Parameters.Count == 0 ? "none" : string.Join(", ", schema.Parameters.Select(p => "--" + p.KebabName))) +
                ". Set another task's parameter with --<TaskName>-<parameter>; see `detect run " + schema.Family + " --help`.");
        }
        return result;
    }

    private static (string Name, string? Value) SplitInline(string text)
    {
        var eq = text.IndexOf('=');
        return eq < 0 ? (text, null) : (text[..eq], text[(eq + 1)..]);
    }

    private static string TakeValue(IReadOnlyList<string> args, ref int i, TaskParameter parameter, string family)
    {
        var isBool = (Nullable.GetUnderlyingType(parameter.Type) ?? parameter.Type) == typeof(bool);
        if (i + 1 < args.Count && !(isBool && args[i + 1].StartsWith("--", StringComparison.Ordinal))) return args[++i];
        if (isBool) return "true";
        throw new ParameterException($"{family}: parameter --{parameter.KebabName} needs a value: {ParameterParsing.ExpectedForm(parameter.Type)}.");
    }

    /// <summary>The family named by <c>&lt;Task&gt;-priority</c>.</summary>
    private static string? PriorityFamily(TaskRegistry registry, string name)
    {
        const string suffix = "-priority";
        if (!name.EndsWith(suffix, StringComparison.Ordinal)) return null;
        return registry.Find(name[..^suffix.Length])?.Family;
    }

    private static (TaskSchema Family, TaskParameter Parameter)? FindFamilyParameter(TaskRegistry registry, string name)
    {
        foreach (var schema in registry.All)
        {
            var prefix = schema.Family + "-";
            if (name.StartsWith(prefix, StringComparison.Ordinal) && schema.Find(name[prefix.Length..]) is { } p)
                return (schema, p);
        }
        return null;
    }
}
