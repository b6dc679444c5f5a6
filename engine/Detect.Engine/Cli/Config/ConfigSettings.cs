using Detect.Engine.Parameters;
using Detect.Engine.Scheduling;

namespace Detect.Engine.Cli.Config;

/// <summary>
/// A config file checked against what the program knows: <c>[core]</c> keys are the run options marked
/// <see cref="CoreOptionAttribute"/>, every other section a task family whose keys are its parameters, each value
/// parsed and checked against the parameter's rules. Anything unknown or malformed is a usage error naming
/// file:line, the key and what is known.
/// </summary>
public sealed class ConfigSettings
{
    public static readonly ConfigSettings None = new(null, null, new Dictionary<string, ConfigEntry>(), []);

    private ConfigSettings(ConfigFile? file, string? foundBy, IReadOnlyDictionary<string, ConfigEntry> core,
        IReadOnlyList<(string Family, TaskParameter Parameter, object? Value, ConfigEntry Entry)> taskValues)
    {
        File = file;
        FoundBy = foundBy;
        Core = core;
        TaskValues = taskValues;
    }

    public ConfigFile? File { get; }

    /// <summary>How the file was found: "--config", "DETECT_CONFIG" or "the working directory".</summary>
    public string? FoundBy { get; }

    /// <summary>The [core] entries by the option's long name (kebab-case).</summary>
    public IReadOnlyDictionary<string, ConfigEntry> Core { get; }

    /// <summary>The task sections' values, parsed and checked.</summary>
    public IReadOnlyList<(string Family, TaskParameter Parameter, object? Value, ConfigEntry Entry)> TaskValues { get; }

    public static ConfigSettings Read(ConfigFile file, string foundBy, TaskRegistry registry, IReadOnlyCollection<string> coreOptions)
    {
        var core = new Dictionary<string, ConfigEntry>(StringComparer.Ordinal);
        var taskValues = new List<(string, TaskParameter, object?, ConfigEntry)>();
        foreach (var (section, line) in file.Sections)
        {
            if (section == ConfigFile.CoreSection || registry.Find(section) is { } schema && schema.Family == section) continue;
            var near = registry.Find(section) is { } caseless ? caseless.Family
                : Suggestions.Closest(section, registry.All.Select(s => s.Family).Append(ConfigFile.CoreSection));
            throw new ParameterException(
                $"{file.Name}:{line}: unknown section [{section}]" + (near is null ? "" : $" (did you mean [{near}]?)") +
                $": sections are [{ConfigFile.CoreSection}] for run options and a task's name for its parameters (`detect list`).");
        }
        foreach (var entry in file.Entries)
        {
            var kebab = entry.Key.Replace('_', '-');
            if (entry.Section == ConfigFile.CoreSection)
            {
                if (!coreOptions.Contains(kebab))
                    throw new ParameterException(
                        $"{entry.Where}: unknown key '{entry.Key}' in [core]" + DidYouMean(kebab, coreOptions) +
                        $". [core] takes: {string.Join(", ", coreOptions.Select(o => o.Replace('-', '_')))}.");
                if (core.TryGetValue(kebab, out var earlier))
                    throw new ParameterException($"{entry.Where}: [core] {entry.Key} is set twice (first at {earlier.Where}).");
                core[kebab] = entry;
                continue;
            }
            var family = registry.Find(entry.Section)!;
            var parameter = family.Find(kebab) ?? throw new ParameterException(
                $"{entry.Where}: [{entry.Section}] has no parameter '{entry.Key}'" + DidYouMean(kebab, family.Parameters.Select(p => p.KebabName)) +
                ". Its parameters: " + (family.Parameters.Count == 0 ? "none" : string.Join(", ", family.Parameters.Select(p => p.SnakeName))) + ".");
            object? value;
            try { value = parameter.Parse(entry.Text, family.Family); }
            catch (ParameterException e) { throw new ParameterException($"{entry.Where}: [{entry.Section}] {entry.Key} = '{entry.Text}': {e.Message}"); }
            taskValues.Add((family.Family, parameter, value, entry));
        }
        return new ConfigSettings(file, foundBy, core, taskValues);
    }

    private static string DidYouMean(string name, IEnumerable<string> known) =>
        Suggestions.Closest(name, known) is { } near ? $" (did you mean '{near.Replace('-', '_')}'?)" : "";
}
