using Detect.Tasks.Geo.GeoJson;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

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
    public string ToGeoJson() => GeoJsonWriter.ToJson(Features.Select(f => (IFeature)new Feature(Wgs84.CreatePoint(new Coordinate(f.Lon, f.Lat)),
        new AttributesTable { { "name", f.Name }, { "kind", f.Kind }, { "spectrum", f.Spectrum }, { "radius_m", f.RadiusMetres } })));

    private static readonly GeometryFactory Wgs84 = new(new PrecisionModel(), 4326);
}
