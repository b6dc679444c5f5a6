using Detect.Tasks.Geo;
using Detect.Tasks.Native.Gdal;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;

namespace Detect.Tasks.Tiling;

/// <summary>
/// Covers a WGS84 ROI with tiles. The ROI is split along UTM zone boundaries (6° of longitude) and the
/// equator; each part is tiled on the grid of its own zone and hemisphere (EPSG 326zz north, 327zz south),
/// keeping only tiles whose core intersects that part. So every ROI point lies in the core of exactly one
/// tile, in the zone that contains it, as Sentinel-2 tiles are in the zone of their location.
/// </summary>
public static class RoiTiler
{
    /// <summary>The latitudes UTM zones are defined for (beyond: the polar UPS grids).</summary>
    public const double MinLatitude = -80, MaxLatitude = 84;

    public static IReadOnlyList<Tile> Cover(Geometry roiWgs84, TileScheme? scheme = null)
    {
        var s = scheme ?? TileScheme.Default;
        s.Validate();
        if (roiWgs84.IsEmpty) throw new ArgumentException("The ROI is empty: nothing to tile.");
        var envelope = roiWgs84.EnvelopeInternal;
        if (envelope.MinY < MinLatitude || envelope.MaxY > MaxLatitude)
            throw new ArgumentException($"The ROI reaches latitude {envelope.MinY:F2}…{envelope.MaxY:F2}; UTM tiling covers {MinLatitude}…{MaxLatitude} only.");
        var tiles = new List<Tile>();
        var factory = roiWgs84.Factory;
        for (var zone = SpatialReference.UtmZone(envelope.MinX); zone <= SpatialReference.UtmZone(envelope.MaxX); zone++)
        {
            var west = -180.0 + (zone - 1) * 6;
            foreach (var north in new[] { false, true })
            {
                var band = factory.ToGeometry(new Envelope(west, west + 6, north ? 0 : -90, north ? 90 : 0));
                var part = roiWgs84.Intersection(band);
                if (part.IsEmpty || part.Area == 0) continue;
                tiles.AddRange(CoverPart(part, SpatialReference.UtmEpsg(zone, north), s));
            }
        }
        return tiles.DistinctBy(t => t.Id).OrderBy(t => t.Epsg).ThenByDescending(t => t.Y).ThenBy(t => t.X).ToList();
    }

    private static IEnumerable<Tile> CoverPart(Geometry partWgs84, int epsg, TileScheme scheme)
    {
        // Densify (~100 m) before projecting so straight lon/lat edges keep their shape in UTM.
        var dense = NetTopologySuite.Densify.Densifier.Densify(partWgs84, 0.001);
        var projected = GeometryReprojection.Transform(dense, 4326, epsg);
        var prepared = PreparedGeometryFactory.Prepare(projected);
        var e = projected.EnvelopeInternal;
        var size = scheme.CoreMetres;
        var factory = new GeometryFactory(new PrecisionModel(), epsg);
        for (var y = (int)Math.Floor(e.MinY / size); y * size < e.MaxY; y++)
        for (var x = (int)Math.Floor(e.MinX / size); x * size < e.MaxX; x++)
        {
            var tile = new Tile(epsg, x, y, scheme);
            var core = tile.CorePolygon(factory);
            if (prepared.Intersects(core) && !prepared.Touches(core)) yield return tile; // a shared edge alone is no overlap
        }
    }
}
