using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace Detect.Tasks.Analysis.Contours;

/// <summary>Turns marching-squares rings (pixel coordinates) into polygons with holes: each hole goes to the smallest
/// shell that contains it.</summary>
internal static class RingAssembler
{
    private static readonly GeometryFactory Factory = new();

    public static List<Polygon> Polygons(List<(double X, double Y)[]> rings)
    {
        var shells = new List<(LinearRing Ring, double Area, IndexedPointInAreaLocator Locator, List<LinearRing> Holes)>();
        var holes = new List<LinearRing>();
        foreach (var r in rings)
        {
            if (r.Length < 4) continue;
            var ring = Factory.CreateLinearRing(r.Select(p => new Coordinate(p.X, p.Y)).ToArray());
            double area = SignedArea(r);
            if (area > 0) shells.Add((ring, area, new IndexedPointInAreaLocator(ring), []));
            else holes.Add(ring);
        }
        var index = new STRtree<int>();
        for (int i = 0; i < shells.Count; i++) index.Insert(shells[i].Ring.EnvelopeInternal, i);
        if (shells.Count > 0) index.Build();
        foreach (var hole in holes)
        {
            var probe = hole.GetCoordinateN(0); // rings never touch, so any hole vertex is strictly inside its shell
            int best = -1;
            foreach (int i in index.Query(hole.EnvelopeInternal))
                if (shells[i].Locator.Locate(probe) == Location.Interior && (best < 0 || shells[i].Area < shells[best].Area)) best = i;
            if (best >= 0) shells[best].Holes.Add(hole); // a hole without a shell cannot occur (the frame is outside)
        }
        var polygons = new List<Polygon>(shells.Count);
        foreach (var (ring, _, _, hs) in shells)
        {
            var polygon = Factory.CreatePolygon(ring, hs.ToArray());
            polygons.Add(polygon.IsValid ? polygon : MakeValid(polygon));
        }
        return polygons;
    }

    private static Polygon MakeValid(Polygon p)
    {
        var fixedGeometry = p.Buffer(0);
        return fixedGeometry as Polygon
            ?? (Polygon)((GeometryCollection)fixedGeometry).Geometries.OrderByDescending(g => g.Area).First();
    }

    /// <summary>Shoelace area; positive for rings that run counter-clockwise in (x, y) as given.</summary>
    internal static double SignedArea((double X, double Y)[] r)
    {
        double s = 0;
        for (int i = 0; i + 1 < r.Length; i++) s += r[i].X * r[i + 1].Y - r[i + 1].X * r[i].Y;
        return s / 2;
    }
}
