using System.Reflection;

namespace Detect.Engine.Parameters;

/// <summary>One declared parameter of a task type.</summary>
public sealed class TaskParameter(PropertyInfo property, ParameterAttribute attribute)
{
    public PropertyInfo Property { get; } = property;
    public string Name { get; } = property.Name;
    public string KebabName { get; } = ParameterParsing.ToKebab(property.Name);
    public string SnakeName { get; } = ParameterParsing.ToSnake(ParameterParsing.ToKebab(property.Name));
    public Type Type { get; } = property.PropertyType;
    public string Help { get; } = attribute.Help;
    public bool Significant { get; } = attribute.Significant;

    public object? GetValue(object task) => Property.GetValue(task);
    public void SetValue(object task, object? value) => Property.SetValue(task, value);

    /// <summary>Parses text for this parameter or throws a <see cref="ParameterException"/> naming it and the expected form.</summary>
    /// <remarks>The value must also keep the rules declared on the parameter (<see cref="ParameterRules"/>).</remarks>
    public object? Parse(string text, string family)
    {
        if (!ParameterParsing.TryParse(Type, text, out var value))
            throw new ParameterException(
                $"{family}: parameter --{KebabName} got '{text}', expected {ParameterParsing.ExpectedForm(Type)}.");
        if (ParameterRules.Check(Property, value) is { } problem)
            throw new ParameterException($"{family}: --{KebabName} {ParameterParsing.Quoted(value)} {problem}.");
        return value;
    }

    /// <summary>The rules in words ("at least 1"), empty when the parameter declares none.</summary>
    public string Rules => ParameterRules.Describe(Property);
}

/// <summary>A parameter that is unknown, missing or not of its expected form. The CLI exits 2 on it.</summary>
public class ParameterException(string message) : Exception(message);
