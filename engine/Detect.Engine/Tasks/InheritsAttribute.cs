namespace Detect.Engine;

/// <summary>
/// As Luigi's <c>@inherits</c>: the parameters of this task (and of its subclasses) that have the same name and
/// type as a parameter of <paramref name="owner"/> take their default from it, so a default shared by many tasks
/// is written once, where the owner declares it. Declare them here without a default (<c>{ get; init; }</c>, or
/// <c>= ""</c> for a string). Per-family defaults (<c>--Task-param</c>) and given values still win over it.
/// Pair it with <see cref="WorkflowTask.Clone{T}(Func{T})"/> to pass the values on to requirements.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = true)]
public sealed class InheritsAttribute(Type owner) : Attribute
{
    public Type Owner { get; } = owner;
}
