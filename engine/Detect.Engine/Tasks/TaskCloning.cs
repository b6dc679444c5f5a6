using System.Collections.Concurrent;
using Detect.Engine.Parameters;

namespace Detect.Engine;

/// <summary>
/// The machinery of <see cref="WorkflowTask.Clone{T}(Func{T})"/> (Luigi's <c>clone</c>) and of
/// <see cref="InheritsAttribute"/>: parameters matched by name and type between two task types, computed once.
/// </summary>
internal static class TaskCloning
{
    private static readonly ConcurrentDictionary<(Type From, Type To), (TaskParameter From, TaskParameter To)[]> Pairs = new();

    // The task a Clone call copies from, for the constructor of the one task of type Target it creates. Thread-static:
    // the construction is synchronous, so no other code runs on this thread in between.
    [ThreadStatic] private static WorkflowTask? _source;
    [ThreadStatic] private static Type? _target;

    public static T Clone<T>(WorkflowTask source, Func<T> create) where T : WorkflowTask
    {
        var (previousSource, previousTarget) = (_source, _target);
        (_source, _target) = (source, typeof(T));
        try { return create(); }
        finally { (_source, _target) = (previousSource, previousTarget); }
    }

    /// <summary>A task of <paramref name="type"/> with its class defaults only: no per-family defaults, no clone source.</summary>
    public static WorkflowTask CreateWithClassDefaults(Type type)
    {
        var (savedSource, savedTarget) = (_source, _target);
        (_source, _target) = (null, null);
        try { using (new ParameterDefaults().Activate()) return (WorkflowTask)Activator.CreateInstance(type)!; }
        finally { (_source, _target) = (savedSource, savedTarget); }
    }

    /// <summary>Called by the constructor: copies the clone source's values when this is the task being cloned to.</summary>
    public static void ApplySource(WorkflowTask task)
    {
        if (_source is not { } source || _target != task.GetType()) return;
        (_source, _target) = (null, null);
        foreach (var (from, to) in PairsOf(source.GetType(), task.GetType())) to.SetValue(task, from.GetValue(source));
    }

    /// <summary>Parameters of <paramref name="to"/> that <paramref name="from"/> also has, by name and type.</summary>
    public static (TaskParameter From, TaskParameter To)[] PairsOf(Type from, Type to) =>
        Pairs.GetOrAdd((from, to), key =>
        {
            var source = TaskSchema.Of(key.From).Parameters.ToDictionary(p => p.Name, StringComparer.Ordinal);
            return TaskSchema.Of(key.To).Parameters
                .Where(p => source.TryGetValue(p.Name, out var s) && s.Type == p.Type)
                .Select(p => (source[p.Name], p)).ToArray();
        });

    /// <summary>
    /// The defaults a task type takes from its <see cref="InheritsAttribute"/> owners: each owner's own default
    /// (no per-family defaults, no clone source), first owner first when two declare the same name.
    /// </summary>
    public static (TaskParameter Parameter, object? Value, Type Owner)[] InheritedDefaults(Type type)
    {
        var result = new List<(TaskParameter, object?, Type)>();
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var owner in type.GetCustomAttributes(typeof(InheritsAttribute), inherit: true).Cast<InheritsAttribute>().Select(a => a.Owner))
        {
            if (!typeof(WorkflowTask).IsAssignableFrom(owner) || owner.IsAbstract || owner.GetConstructor(Type.EmptyTypes) is null)
                throw new InvalidOperationException($"{type.FullName}: [Inherits({owner.Name})] needs a concrete task type with a parameterless constructor.");
            if (owner == type || owner.IsAssignableFrom(type)) continue; // the owner itself (or a subclass of it) keeps its own defaults
            var instance = CreateWithClassDefaults(owner);
            // An owner that itself inherits a default passes on its own owner's (the value is the same; the owner is the first one).
            foreach (var (from, to) in PairsOf(owner, type))
                if (taken.Add(to.Name)) result.Add((to, from.GetValue(instance), TaskSchema.Of(owner).DefaultOwnerOf(from)));
        }
        return [.. result];
    }
}
