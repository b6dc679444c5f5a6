using System.Globalization;
using System.Text.Json;
using NetTopologySuite.Features;

namespace Detect.Tasks.Geo.GeoJson;

/// <summary>
/// Typed access to a feature's properties, the same for features read from a file (GeoJSON4STJ keeps those as
/// JSON) and for features built in code (an <see cref="AttributesTable"/> of strings, numbers, booleans).
/// </summary>
public static class FeatureProperties
{
    /// <summary>A property as a string (numbers in invariant culture, as they read in the file), or null when absent or null.</summary>
    public static string? GetString(this IFeature feature, string name)
    {
        if (Json(feature, name) is { } e)
            return e.ValueKind switch
            {
                JsonValueKind.String => e.GetString(),
                JsonValueKind.Null => null,
                JsonValueKind.Number => e.TryGetInt64(out var l) ? l.ToString(CultureInfo.InvariantCulture) : e.GetDouble().ToString(CultureInfo.InvariantCulture),
                _ => e.GetRawText(),
            };
        return Value(feature, name) switch
        {
            null => null,
            string s => s,
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            var v => v.ToString(),
        };
    }

    /// <summary>A numeric property, or null when absent or not a number. A number read from a file is parsed from its
    /// JSON text (the double nearest to it), not cast from GeoJSON4STJ's decimal (see <see cref="GeoJsonFormat"/>).</summary>
    public static double? GetDouble(this IFeature feature, string name)
    {
        if (Json(feature, name) is { } e)
            return e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out var d) ? d : null;
        return Value(feature, name) switch
        {
            double d => d,
            float f => f,
            long l => l,
            int i => i,
            decimal m => (double)m,
            _ => null,
        };
    }

    /// <summary>The property's JSON when the feature was read from a file (null when absent, or for a feature built in code).</summary>
    private static JsonElement? Json(IFeature feature, string name) =>
        feature.Attributes switch
        {
            JsonElementAttributesTable t => t.RootElement.TryGetProperty(name, out var e) ? e : null,
            { } a when a.Exists(name) && a[name] is JsonElement e => e,
            _ => null,
        };

    private static object? Value(IFeature feature, string name) =>
        feature.Attributes is { } a && a.Exists(name) ? a[name] : null;
}
