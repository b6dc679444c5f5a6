using Detect.Engine.Parameters;
using Detect.Engine.Scheduling;

namespace Detect.Engine.Watch;

/// <summary>
/// Turns trigger rows into tasks of one family: the header names its parameters (kebab- or snake-case, any case),
/// each row's values go through the same parsing as the command line (<see cref="TaskBuilder"/>), on top of the
/// parameters the watcher was started with. An empty cell leaves the command line's value (or the default).
/// </summary>
public sealed class RowTasks(TaskSchema schema, IReadOnlyList<KeyValuePair<string, string>> baseParameters)
{
    public TaskSchema Schema => schema;

    /// <summary>Why the header cannot be used (an unknown column, a parameter named twice), or null.</summary>
    public string? CheckHeader(IReadOnlyList<string> header)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i];
            if (name.Length == 0) return $"column {i + 1} of the header has no name: every column must name a parameter of {schema.Family}.";
            if (schema.Find(name) is not { } parameter)
                return $"unknown column '{name}': {schema.Family} has no parameter --{name.Replace('_', '-')}. Its parameters: " +
                       (schema.Parameters.Count == 0 ? "none" : string.Join(", ", schema.Parameters.Select(p => p.SnakeName))) +
                       $" (kebab- or snake-case; see `detect describe {schema.Family}`).";
            if (seen.TryGetValue(parameter.KebabName, out var first))
                return $"columns '{first}' and '{name}' both set --{parameter.KebabName}: keep one.";
            seen[parameter.KebabName] = name;
        }
        return null;
    }

    /// <summary>The row's task; a value of the wrong form throws <see cref="ParameterException"/> naming the column and the form.</summary>
    public WorkflowTask Create(IReadOnlyList<string> header, TriggerRow row)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in baseParameters) values[schema.Find(name)!.KebabName] = value;
        for (var i = 0; i < header.Count; i++)
        {
            if (row.Cells[i].Length == 0) continue;
            values[schema.Find(header[i])!.KebabName] = row.Cells[i];
        }
        return TaskBuilder.Create(schema, values);
    }
}
