using System.ComponentModel.DataAnnotations;
using Detect.Engine.Parameters;

namespace Detect.Tasks.Tiling;

/// <summary>
/// A parameter naming one tile (<c>--tile 32750_x0037_y1056</c>): checked when the command line is read, because the id
/// becomes part of store keys (<c>heatmaps/&lt;tile&gt;_median.tif</c>) and a value like <c>a/b</c> would otherwise make
/// a graph of keys in folders no tile has, and fail only when the task runs.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class TileIdAttribute : ValidationAttribute, IDescribedRule
{
    /// <summary>The empty value is allowed (the tile is one of two ways to name the input, as for BlobDetect).</summary>
    public bool AllowEmpty { get; init; }

    public string Description => "a tile id EPSG_xCOL_yROW, e.g. 32750_x0037_y1056" + (AllowEmpty ? " (or empty)" : "");

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        var text = value as string ?? "";
        if (text.Length == 0 && AllowEmpty) return ValidationResult.Success;
        try
        {
            Tile.Parse(text);
            return ValidationResult.Success;
        }
        catch (ArgumentException)
        {
            return new ValidationResult("is not a tile id: expected EPSG_xCOL_yROW with a UTM zone's EPSG code, such as 32750_x0037_y1056 " +
                                        "(`detect run Heatmaps --dry-run --roi <roi>` lists an ROI's tiles)");
        }
    }
}
