using System.Reflection;

namespace Detect.Engine.Scheduling;

/// <summary>The task families a program knows, by name: for the CLI and for rebuilding recorded dependencies.</summary>
public sealed class TaskRegistry
{
    private readonly Dictionary<string, Type> _byFamily = new(StringComparer.Ordinal);

    public TaskRegistry(params Assembly[] assemblies)
    {
        foreach (var type in assemblies.SelectMany(SafeTypes))
            if (IsTaskType(type)) Register(type);
    }

    /// <summary>A type the registry takes: a concrete <see cref="WorkflowTask"/> with a parameterless constructor.</summary>
    public static bool IsTaskType(Type type) =>
        typeof(WorkflowTask).IsAssignableFrom(type) && !type.IsAbstract && type.GetConstructor(Type.EmptyTypes) is not null;

    public TaskRegistry Register(Type type)
    {
        var schema = TaskSchema.Of(type);
        if (_byFamily.TryGetValue(schema.Family, out var existing) && existing != type)
            throw new InvalidOperationException($"Task family '{schema.Family}' is defined twice: {existing.FullName} and {type.FullName}.");
        _byFamily[schema.Family] = type;
        return this;
    }

    public IEnumerable<TaskSchema> All => _byFamily.Values.Select(TaskSchema.Of).OrderBy(s => s.Family, StringComparer.Ordinal);

    public TaskSchema? Find(string family) =>
        _byFamily.TryGetValue(family, out var t) ? TaskSchema.Of(t)
        : _byFamily.Values.Select(TaskSchema.Of).FirstOrDefault(s => string.Equals(s.Family, family, StringComparison.OrdinalIgnoreCase));

    private static IEnumerable<Type> SafeTypes(Assembly assembly)
    {
        try { return assembly.GetTypes(); }
        catch (ReflectionTypeLoadException e) { return e.Types.OfType<Type>(); }
    }
}
