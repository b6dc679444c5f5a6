using System.Collections.Concurrent;
using System.Reflection;
using Detect.Engine.Parameters;

namespace Detect.Engine;

/// <summary>The family name and declared parameters of a task type, read once by reflection.</summary>
public sealed class TaskSchema
{
    private static readonly ConcurrentDictionary<Type, TaskSchema> Cache = new();

    public Type Type { get; }
    public string Family { get; }
    public IReadOnlyList<TaskParameter> Parameters { get; }
    public string Help { get; }

    private TaskSchema(Type type)
    {
        Type = type;
        Family = type.GetCustomAttribute<TaskFamilyAttribute>()?.Name ?? type.Name;
        Help = type.GetCustomAttribute<System.ComponentModel.DescriptionAttribute>()?.Description ?? "";
        Parameters = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (p, a: p.GetCustomAttribute<ParameterAttribute>()))
            .Where(x => x.a is not null)
            .Select(x => new TaskParameter(x.p, x.a!))
            .OrderBy(p => p.KebabName, StringComparer.Ordinal)
            .ToList();
        SignificantParameters = Parameters.Where(p => p.Significant).ToList();
    }

    /// <summary>The parameters that make up the task id, in <see cref="Parameters"/> order.</summary>
    public IReadOnlyList<TaskParameter> SignificantParameters { get; }

    public static TaskSchema Of(Type type) => Cache.GetOrAdd(type, t => new TaskSchema(t));

    public TaskParameter? Find(string kebabOrSnakeName)
    {
        var kebab = kebabOrSnakeName.Replace('_', '-');
        return Parameters.FirstOrDefault(p => string.Equals(p.KebabName, kebab, StringComparison.OrdinalIgnoreCase));
    }
}
