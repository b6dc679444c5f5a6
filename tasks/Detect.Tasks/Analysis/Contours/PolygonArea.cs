using NetTopologySuite.Geometries;

namespace Detect.Tasks.Analysis.Contours;

/// <summary>
/// Polygon areas in km². Projected CRS (UTM): the planar area (UTM's scale factor 0.9996–1.001 bounds the error to
/// about 0.2 %). Geographic CRS (lon/lat degrees): the exact area on the WGS84 ellipsoid of the polygon mapped through
/// the Lambert cylindrical equal-area projection (an equal-area map of the ellipsoid), with vertices joined straight in
/// that projection; for contour edges of a few metres the difference to geodesic edges is far below 0.01 %.
/// </summary>
public static class PolygonArea
{
    private const double A = 6378137.0;              // WGS84 semi-major axis (m)
    private const double F = 1 / 298.257223563;      // WGS84 flattening
    private static readonly double E2 = F * (2 - F);
    private static readonly double E = Math.Sqrt(E2);

    /// <param name="metresPerUnit">For projected coordinates: the length of one CRS unit in metres (1 for UTM).</param>
    public static double SquareKilometres(Geometry g, bool geographic, double metresPerUnit = 1) =>
        geographic ? GeographicSquareMetres(g) / 1e6 : g.Area * metresPerUnit * metresPerUnit / 1e6;

    private static double GeographicSquareMetres(Geometry g) => g switch
    {
        Polygon p => Math.Abs(RingArea(p.ExteriorRing.Coordinates)) - p.InteriorRings.Sum(h => Math.Abs(RingArea(h.Coordinates))),
        GeometryCollection gc => gc.Geometries.Sum(GeographicSquareMetres),
        _ => 0,
    };

    private static double RingArea(Coordinate[] ring)
    {
        if (ring.Length < 4) return 0;
        double lon0 = ring[0].X, s = 0;
        // longitudes unwrapped relative to the first vertex, so rings across the antimeridian work
        double Lx(Coordinate c) { double d = c.X - lon0; d -= 360 * Math.Round(d / 360); return A * d * Math.PI / 180; }
        for (int i = 0; i + 1 < ring.Length; i++)
            s += Lx(ring[i]) * AuthalicY(ring[i + 1].Y) - Lx(ring[i + 1]) * AuthalicY(ring[i].Y);
        return s / 2;
    }

    /// <summary>y of the Lambert cylindrical equal-area projection of the ellipsoid: a·q(φ)/2.</summary>
    private static double AuthalicY(double latDeg)
    {
        double sin = Math.Sin(latDeg * Math.PI / 180);
        double q = (1 - E2) * (sin / (1 - E2 * sin * sin) - 1 / (2 * E) * Math.Log((1 - E * sin) / (1 + E * sin)));
        return A * q / 2;
    }
}
