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
        var named = type.GetCustomAttribute<TaskIdParametersAttribute>()?.Names ?? [];
        var significantNames = SignificantParameters.Select(p => p.Name).ToList();
        foreach (var name in named)
            if (!significantNames.Contains(name))
                throw new InvalidOperationException($"{type.FullName}: [TaskIdParameters] names '{name}', which is not a significant parameter of it.");
        _namedIdParameters = named.Select(n => significantNames.IndexOf(n)).ToHashSet();
        IdParameterOrder = [.. named.Select(n => significantNames.IndexOf(n)), .. Enumerable.Range(0, significantNames.Count).Where(i => !_namedIdParameters.Contains(i))];
        _defaultCanonicalValues = new Lazy<IReadOnlyList<string>>(() => DefaultValuesOf(type, SignificantParameters));
        _inheritedDefaults = new Lazy<(TaskParameter Parameter, object? Value, Type Owner)[]>(() => TaskCloning.InheritedDefaults(type));
    }

    private readonly Lazy<(TaskParameter Parameter, object? Value, Type Owner)[]> _inheritedDefaults;

    /// <summary>
    /// The task type whose declaration gives <paramref name="parameter"/> its default: an
    /// <see cref="InheritsAttribute"/> owner, or the type that declares the property.
    /// </summary>
    public Type DefaultOwnerOf(TaskParameter parameter) =>
        _inheritedDefaults.Value.FirstOrDefault(d => d.Parameter == parameter).Owner ?? parameter.Property.DeclaringType!;

    [ThreadStatic] private static bool _skipInheritedDefaults;

    internal void ApplyInheritedDefaults(WorkflowTask task)
    {
        if (_skipInheritedDefaults) return;
        foreach (var (parameter, value, _) in _inheritedDefaults.Value) parameter.SetValue(task, value);
    }

    /// <summary>
    /// A task of this type with only what its own class declares (no <see cref="InheritsAttribute"/> defaults, no
    /// per-family defaults): shows whether a class writes a default it should take from its owner.
    /// </summary>
    public WorkflowTask CreateWithOwnDefaultsOnly()
    {
        _skipInheritedDefaults = true;
        try { return TaskCloning.CreateWithClassDefaults(Type); }
        finally { _skipInheritedDefaults = false; }
    }

    private readonly HashSet<int> _namedIdParameters;
    private readonly Lazy<IReadOnlyList<string>> _defaultCanonicalValues;

    /// <summary>Indexes into <see cref="SignificantParameters"/> in the order the task id shows their values.</summary>
    internal IReadOnlyList<int> IdParameterOrder { get; }

    internal bool IsNamedIdParameter(int index) => _namedIdParameters.Contains(index);

    /// <summary>The canonical text of each significant parameter's class default (no per-family defaults applied).</summary>
    internal IReadOnlyList<string> DefaultCanonicalValues => _defaultCanonicalValues.Value;

    private static List<string> DefaultValuesOf(Type type, IReadOnlyList<TaskParameter> parameters)
    {
        if (type.IsAbstract || type.GetConstructor(Type.EmptyTypes) is null) return parameters.Select(_ => "\0").ToList();
        var instance = TaskCloning.CreateWithClassDefaults(type);
        return parameters.Select(p => ParameterParsing.Canonical(p.GetValue(instance))).ToList();
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
