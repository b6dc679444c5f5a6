namespace Detect.Engine;

/// <summary>
/// The parameters whose values a task's id shows first, because they tell its instances apart within a graph
/// (e.g. the tile of a per-tile task); others follow when their value is not the default, at most 3 in all.
/// Only the readable part of the id depends on this, never its hash.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class TaskIdParametersAttribute(params string[] propertyNames) : Attribute
{
    public IReadOnlyList<string> Names { get; } = propertyNames;
}
