using System.Globalization;
using System.Text;

namespace Detect.Synthetic;

/// <summary>A planted feature: a disc of one spectrum. <see cref="Kind"/> is "site" or "decoy".</summary>
public sealed record PlantedFeature(string Name, string Kind, string Spectrum, double Lon, double Lat, double X, double Y, double RadiusMetres);

/// <summary>What was planted where (lon/lat of centres, plus the UTM coordinates in <see cref="Epsg"/>).</summary>
public sealed record SyntheticTruth(int Epsg, IReadOnlyList<PlantedFeature> Features, IReadOnlyList<string> ItemKeys)
{
    public const string Key = "imagery/truth/sites.geojson";

    public IEnumerable<PlantedFeature> Sites => Features.Where(f => f.Kind == "site");
    public IEnumerable<PlantedFeature> Decoys => Features.Where(f => f.Kind == "decoy");

    /// <summary>A GeoJSON FeatureCollection of Points with properties name, kind, spectrum, radius_m.</summary>
    public string ToGeoJson()
    {
        var sb = new StringBuilder("{\"type\":\"FeatureCollection\",\"features\":[");
        for (var i = 0; i < Features.Count; i++)
        {
            var f = Features[i];
            if (i > 0) sb.Append(',');
            sb.Append(CultureInfo.InvariantCulture,
                $"{{\"type\":\"Feature\",\"geometry\":{{\"type\":\"Point\",\"coordinates\":[{f.Lon:R},{f.Lat:R}]}},\"properties\":{{\"name\":\"{f.Name}\",\"kind\":\"{f.Kind}\",\"spectrum\":\"{f.Spectrum}\",\"radius_m\":{f.RadiusMetres:R}}}}}");
        }
        return sb.Append("]}").ToString();
    }
}
