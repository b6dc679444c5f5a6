using Detect.Tasks.Geo.GeoJson;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;

namespace Detect.Tasks.Analysis.Sites;

/// <summary>
/// Keeps candidate points that fall inside a patch-classifier polygon whose score (<c>mean</c>) is above a minimum.
/// A point on a polygon's boundary counts as inside (NTS <c>Covers</c>), so a site exactly on the edge between two
/// windows is not lost.
/// </summary>
public sealed class PatchFilter
{
    public const double DefaultMinMean = 0.3;
    private readonly STRtree<IPreparedGeometry> _index = new();
    private static readonly GeometryFactory Factory = new();

    /// <param name="patches">Patch polygons (any areal geometry) with their classifier score.</param>
    /// <param name="minMean">Patches scoring at most this are ignored (strictly greater passes, as the original's <c>mean &gt; 0.3</c>).</param>
    public PatchFilter(IEnumerable<(Geometry Polygon, double Mean)> patches, double minMean = DefaultMinMean)
    {
        foreach (var (polygon, mean) in patches)
        {
            if (polygon is null || polygon.IsEmpty) continue;
            if (polygon.Dimension != Dimension.Surface)
                throw new ArgumentException($"Patch geometries must be polygons; got a {polygon.GeometryType}.", nameof(patches));
            if (!(mean > minMean)) continue;
            _index.Insert(polygon.EnvelopeInternal, PreparedGeometryFactory.Prepare(polygon));
            PatchCount++;
        }
        _index.Build();
    }

    /// <summary>Patches from patch-classifier GeoJSON features (property <c>mean</c>).</summary>
    public static PatchFilter FromFeatures(IEnumerable<IFeature> features, string source, double minMean = DefaultMinMean) =>
        new(features.Select((f, i) => (f.Geometry, f.GetDouble("mean")
            ?? throw new FormatException($"{source}: feature {i} has no numeric \"mean\" property (the patch classifier score)."))), minMean);

    /// <summary>Number of patches above the minimum score.</summary>
    public int PatchCount { get; }

    public bool Accepts(double lon, double lat)
    {
        var point = Factory.CreatePoint(new Coordinate(lon, lat));
        foreach (var candidate in _index.Query(point.EnvelopeInternal))
            if (candidate.Covers(point)) return true;
        return false;
    }

    public IReadOnlyList<Site> Filter(IEnumerable<Site> sites) => sites.Where(s => Accepts(s.Lon, s.Lat)).ToList();
}
