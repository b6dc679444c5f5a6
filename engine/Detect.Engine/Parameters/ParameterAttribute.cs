namespace Detect.Engine.Parameters;

/// <summary>Marks a public init-able property of a task as a parameter.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ParameterAttribute : Attribute
{
    /// <summary>One line shown by <c>detect describe</c>.</summary>
    public string Help { get; init; } = "";

    /// <summary>Insignificant parameters are not part of the task id (e.g. worker counts, device choice).</summary>
    public bool Significant { get; init; } = true;
}

/// <summary>Overrides the task family name (default: the class name).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class TaskFamilyAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
