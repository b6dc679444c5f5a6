using Detect.Tasks.Native.Gdal;
using NetTopologySuite.Geometries;

namespace Detect.Tasks.Analysis.Contours;

/// <summary>Georeferences geometries drawn in pixel-corner coordinates.</summary>
public static class PixelGeometry
{
    /// <summary>A copy of <paramref name="pixelGeometry"/> with every coordinate mapped through the geotransform.</summary>
    public static Geometry ToWorld(this GeoTransform transform, Geometry pixelGeometry)
    {
        var copy = pixelGeometry.Copy();
        copy.Apply(new TransformFilter(transform));
        copy.GeometryChanged();
        return copy;
    }

    private sealed class TransformFilter(GeoTransform transform) : ICoordinateSequenceFilter
    {
        public bool Done => false;
        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq, int i)
        {
            var (x, y) = transform.Apply(seq.GetX(i), seq.GetY(i));
            seq.SetX(i, x);
            seq.SetY(i, y);
        }
    }
}
