using Detect.Tasks.Native.Gdal;
using NetTopologySuite.Geometries;

namespace Detect.Tasks.Geo;

/// <summary>Reprojects NetTopologySuite geometries through GDAL/OSR (x = lon/easting, y = lat/northing).</summary>
public static class GeometryReprojection
{
    public static Geometry Transform(Geometry geometry, int sourceEpsg, int targetEpsg) =>
        Transform(geometry, CoordinateTransform.Cached(sourceEpsg, targetEpsg), targetEpsg);

    public static Geometry Transform(Geometry geometry, CoordinateTransform transform, int targetEpsg)
    {
        var copy = geometry.Copy();
        copy.Apply(new ReprojectFilter(transform));
        copy.SRID = targetEpsg;
        copy.GeometryChanged();
        return copy;
    }

    private sealed class ReprojectFilter(CoordinateTransform transform) : IEntireCoordinateSequenceFilter
    {
        public bool Done => false;
        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq)
        {
            var xs = new double[seq.Count];
            var ys = new double[seq.Count];
            for (var i = 0; i < seq.Count; i++) { xs[i] = seq.GetX(i); ys[i] = seq.GetY(i); }
            transform.Transform(xs, ys);
            for (var i = 0; i < seq.Count; i++) { seq.SetX(i, xs[i]); seq.SetY(i, ys[i]); }
        }
    }
}
