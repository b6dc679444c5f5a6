using System.ComponentModel.DataAnnotations;
using Detect.Engine.Parameters;

namespace Detect.Tasks.Tiling;

/// <summary>A parameter holding tile ids separated by commas (possibly none), each as <see cref="TileIdAttribute"/> checks it.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class TileIdListAttribute : ValidationAttribute, IDescribedRule
{
    public string Description => "tile ids EPSG_xCOL_yROW separated by commas, e.g. 32750_x0037_y1056,32750_x0038_y1056 (or empty)";

    /// <summary>The ids of a list (empty for the empty text).</summary>
    public static IReadOnlyList<string> Split(string text) =>
        text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        foreach (var id in Split(value as string ?? ""))
        {
            try
            {
                Tile.Parse(id);
            }
            catch (ArgumentException)
            {
                return new ValidationResult($"holds '{id}', which is not a tile id: expected EPSG_xCOL_yROW with a UTM zone's EPSG code, " +
                                            "such as 32750_x0037_y1056, separated by commas");
            }
        }
        return ValidationResult.Success;
    }
}
