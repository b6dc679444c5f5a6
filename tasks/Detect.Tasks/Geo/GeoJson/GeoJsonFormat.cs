using System.Text.Json;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace Detect.Tasks.Geo.GeoJson;

/// <summary>
/// The one System.Text.Json configuration for GeoJSON (NetTopologySuite.IO.GeoJSON4STJ), shared by
/// <see cref="GeoJsonReader"/> and <see cref="GeoJsonWriter"/>.
/// </summary>
/// <remarks>
/// Numeric subtleties:
/// <list type="bullet">
/// <item>Coordinates are written as the shortest text that parses back to the same double (.NET's round-trip
/// formatting), so a write/read cycle is bit-exact; nothing is rounded unless a caller asks (scene footprints: 7 decimals).</item>
/// <item>GeoJSON4STJ reads property numbers as <see cref="decimal"/>. The cast decimal → double is not always the
/// double nearest the text (e.g. "0.9417566102658197" becomes 0.9417566102658196), so numeric properties are read
/// through <see cref="FeatureProperties.GetDouble"/>, which parses the JSON text itself.</item>
/// <item>JSON has no NaN or Infinity: the writer refuses them, and the reader refuses numbers too large for a double
/// (System.Text.Json would read 1e400 as Infinity).</item>
/// </list>
/// </remarks>
internal static class GeoJsonFormat
{
    /// <summary>WGS84 lon/lat (RFC 7946), floating precision.</summary>
    public static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    /// <summary>Rings written RFC 7946 §3.1.6 style (exteriors counter-clockwise, holes clockwise); no "bbox" members.
    /// (The enum member is spelt "Rfc9746" in the library.)</summary>
    public static readonly JsonSerializerOptions Compact = Create(indented: false);

    public static readonly JsonSerializerOptions Indented = Create(indented: true);

    public static JsonSerializerOptions For(bool indented) => indented ? Indented : Compact;

    private static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions { WriteIndented = indented };
        options.Converters.Add(new GeoJsonConverterFactory(Factory, writeGeometryBBox: false,
            GeoJsonConverterFactory.DefaultIdPropertyName, RingOrientationOption.EnforceRfc9746));
        return options;
    }
}
