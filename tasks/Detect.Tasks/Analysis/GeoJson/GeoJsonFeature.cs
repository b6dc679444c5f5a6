using NetTopologySuite.Geometries;

namespace Detect.Tasks.Analysis.GeoJson;

/// <summary>A GeoJSON feature: a geometry (lon/lat) and its properties. Property values are <c>null</c>, <c>string</c>,
/// <c>bool</c>, <c>double</c>, <c>long</c> (or any other number type when writing), or a <c>JsonElement</c> for nested
/// values read from a file.</summary>
public sealed record GeoJsonFeature(Geometry Geometry, IReadOnlyDictionary<string, object?> Properties)
{
    public GeoJsonFeature(Geometry geometry) : this(geometry, new Dictionary<string, object?>()) { }

    /// <summary>A property as a string (numbers in invariant culture), or null when absent.</summary>
    public string? GetString(string name) => Properties.TryGetValue(name, out var v) ? v switch
    {
        null => null,
        string s => s,
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => v.ToString(),
    } : null;

    /// <summary>A numeric property, or null when absent or not a number.</summary>
    public double? GetDouble(string name) => Properties.TryGetValue(name, out var v) ? v switch
    {
        double d => d,
        long l => l,
        int i => i,
        float f => f,
        decimal m => (double)m,
        _ => null,
    } : null;
}
