using System.ComponentModel.DataAnnotations;

namespace Detect.Engine.Parameters;

/// <summary>
/// A parameter whose value becomes one segment of a store key (an ROI name in <c>boundaries/&lt;roi&gt;.geojson</c>,
/// a run id in <c>runs/&lt;run_id&gt;/</c>): a letter or digit, then letters, digits, '.', '_' or '-' — so it can
/// never climb out of its folder ('..', '/') or hide itself (a leading '.').
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class StoreKeyNameAttribute : ValidationAttribute, IDescribedRule
{
    public const int MaxLength = 100;

    /// <summary>The empty value is allowed (it means "derive it", as for Detect's run id).</summary>
    public bool AllowEmpty { get; init; }

    public string Description => "a name: letters, digits, '.', '_', '-'" + (AllowEmpty ? " (or empty)" : "");

    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= MaxLength && char.IsAsciiLetterOrDigit(name[0])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')
        && !name.Contains("..", StringComparison.Ordinal);

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        var text = value as string ?? "";
        if (text.Length == 0 && AllowEmpty) return ValidationResult.Success;
        if (IsValidName(text)) return ValidationResult.Success;
        var why = text.Length == 0 ? "is empty"
            : text.Contains('/') || text.Contains('\\') ? "holds a '/'"
            : text.Contains("..", StringComparison.Ordinal) ? "holds '..'"
            : text.Length > MaxLength ? $"is longer than {MaxLength} characters"
            : !char.IsAsciiLetterOrDigit(text[0]) ? "does not start with a letter or digit"
            : "holds a character other than letters, digits, '.', '_' and '-'";
        return new ValidationResult(
            $"{why}: it becomes part of a store key, so use letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
}
