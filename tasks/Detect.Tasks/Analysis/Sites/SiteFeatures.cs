using Detect.Tasks.Geo.GeoJson;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace Detect.Tasks.Analysis.Sites;

/// <summary>Sites as GeoJSON point features with the original's properties <c>lon</c>, <c>lat</c>, <c>name</c>.</summary>
public static class SiteFeatures
{
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    public static IFeature ToFeature(Site site, IReadOnlyDictionary<string, object?>? extra = null)
    {
        var props = new AttributesTable { { "lon", site.Lon }, { "lat", site.Lat }, { "name", site.Name } };
        if (extra is not null) foreach (var (k, v) in extra) { if (props.Exists(k)) props[k] = v; else props.Add(k, v); }
        return new Feature(Factory.CreatePoint(new Coordinate(site.Lon, site.Lat)), props);
    }

    /// <summary>Point features back to sites (name from the <c>name</c> property, position from the geometry).</summary>
    public static IReadOnlyList<Site> FromFeatures(IEnumerable<IFeature> features, string source) =>
        features.Select((f, i) => f.Geometry is Point p
            ? new Site(f.GetString("name") ?? throw new FormatException($"{source}: feature {i} has no \"name\" property."), p.X, p.Y)
            : throw new FormatException($"{source}: feature {i} is a {f.Geometry?.GeometryType ?? "feature without a geometry"}, sites must be points.")).ToList();
}
