using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;

namespace Detect.Engine.Parameters;

/// <summary>
/// The rules declared on a parameter or a command-line option with the standard DataAnnotations attributes —
/// <c>[Range(1, int.MaxValue)]</c>, <c>[Range(0.0, 1.0, MinimumIsExclusive = true)]</c>, <c>[AllowedValues("text", "json")]</c>,
/// <c>[MinLength(1)]</c> — or with a <see cref="ValidationAttribute"/> of a task library (e.g. <see cref="StoreKeyNameAttribute"/>).
/// They are checked where a value comes in (command line, config file, environment), before anything runs, and
/// shown by <c>describe</c> and <c>--help</c>. Messages are phrases ("must be at least 1") the caller puts after the
/// name and value.
/// </summary>
public static class ParameterRules
{
    /// <summary>The first rule of <paramref name="property"/> that <paramref name="value"/> breaks, as a phrase; null when it keeps them all.</summary>
    public static string? Check(PropertyInfo property, object? value)
    {
        foreach (var rule in Of(property))
            if (Violation(rule, value) is { } problem) return problem;
        return null;
    }

    /// <summary>The rules in words for help texts ("at least 1", "one of text, json"); empty when there are none.</summary>
    public static string Describe(PropertyInfo property) =>
        string.Join("; ", Of(property).Select(Describe).Where(d => d.Length > 0));

    private static IEnumerable<ValidationAttribute> Of(PropertyInfo property) => property.GetCustomAttributes<ValidationAttribute>(inherit: true);

    private static string? Violation(ValidationAttribute rule, object? value)
    {
        // Custom rules explain themselves through their ValidationResult; the standard ones get a phrase here.
        var result = rule.GetValidationResult(value, new ValidationContext(value ?? new object()));
        if (result == ValidationResult.Success) return null;
        return rule switch
        {
            RangeAttribute range => "must be " + Describe(range),
            AllowedValuesAttribute allowed => "must be " + Describe(allowed),
            MinLengthAttribute { Length: 1 } => "must not be empty",
            _ => result?.ErrorMessage ?? "is not allowed",
        };
    }

    private static string Describe(ValidationAttribute rule) => rule switch
    {
        RangeAttribute r => RangeText(r),
        AllowedValuesAttribute a => "one of " + string.Join(", ", a.Values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture))),
        MinLengthAttribute { Length: 1 } => "not empty",
        IDescribedRule d => d.Description,
        _ => "",
    };

    private static string RangeText(RangeAttribute r)
    {
        var min = Number(r.Minimum);
        var max = Number(r.Maximum);
        var unbounded = r.Maximum is int.MaxValue or long.MaxValue || r.Maximum is double d && (double.IsPositiveInfinity(d) || d == double.MaxValue);
        if (unbounded) return r.MinimumIsExclusive ? $"greater than {min}" : $"at least {min}";
        var low = r.MinimumIsExclusive ? $"greater than {min}" : $"at least {min}";
        var high = r.MaximumIsExclusive ? $"less than {max}" : $"at most {max}";
        return r.MinimumIsExclusive || r.MaximumIsExclusive ? $"{low} and {high}" : $"from {min} to {max}";
    }

    private static string Number(object value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
}

/// <summary>A custom rule that can say in a few words what it accepts (for <c>describe</c> and <c>--help</c>).</summary>
public interface IDescribedRule
{
    string Description { get; }
}
