using System.Globalization;
using Detect.Engine.Parameters;
using Detect.Engine.Scheduling;

namespace Detect.Engine.Export;

/// <summary>
/// A per-step amount (cores, MiB of RAM): one value for every step, with exceptions per task family, written
/// <c>2,Heatmap=4,PatchTile=3</c> (a bare number sets the default).
/// </summary>
public sealed class StepResources
{
    private readonly Dictionary<string, int> _byFamily;

    private StepResources(int fallback, Dictionary<string, int> byFamily)
    {
        Default = fallback;
        _byFamily = byFamily;
    }

    public int Default { get; }

    public int For(string family) => _byFamily.GetValueOrDefault(family, Default);

    /// <summary>Parses the option text; unknown families and values below 1 are usage errors naming the option.</summary>
    public static StepResources Parse(string option, string? text, int fallback, TaskRegistry registry)
    {
        var byFamily = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=');
            var value = eq < 0 ? part : part[(eq + 1)..];
            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
                throw new ParameterException($"--{option} expects whole numbers of at least 1, as N or Family=N separated by commas (e.g. 2,Heatmap=4), got '{part}'.");
            if (eq < 0) { fallback = n; continue; }
            var family = part[..eq];
            var schema = registry.Find(family) ?? throw new ParameterException(
                $"--{option}: unknown task '{family}' in '{part}'. Known tasks: {string.Join(", ", registry.All.Select(s => s.Family))}.");
            byFamily[schema.Family] = n;
        }
        return new StepResources(fallback, byFamily);
    }
}
