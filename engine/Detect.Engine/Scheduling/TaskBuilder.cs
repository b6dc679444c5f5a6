using Detect.Engine.Parameters;

namespace Detect.Engine.Scheduling;

/// <summary>Builds task instances from parameter text (command line, recorded dependency manifests).</summary>
public static class TaskBuilder
{
    /// <summary>
    /// Creates a task of <paramref name="schema"/> with the given values (keys kebab- or snake_case).
    /// Unknown names and unparsable values throw <see cref="ParameterException"/> naming them.
    /// </summary>
    public static WorkflowTask Create(TaskSchema schema, IReadOnlyDictionary<string, string> values)
    {
        var typed = new List<(TaskParameter Parameter, object? Value)>();
        foreach (var (name, text) in values)
        {
            var parameter = schema.Find(name) ?? throw new ParameterException(
                $"{schema.Family} has no parameter --{name.Replace('_', '-')}. Its parameters: " +
                (schema.Parameters.Count == 0 ? "none" : string.Join(", ", schema.Parameters.Select(p => "--" + p.KebabName))) + ".");
            typed.Add((parameter, parameter.Parse(text, schema.Family)));
        }
        var task = (WorkflowTask)Activator.CreateInstance(schema.Type)!;
        foreach (var (parameter, value) in typed) parameter.SetValue(task, value);
        return task;
    }
}
