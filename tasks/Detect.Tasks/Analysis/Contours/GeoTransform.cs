using NetTopologySuite.Geometries;

namespace Detect.Tasks.Analysis.Contours;

/// <summary>GDAL's affine geotransform: X = c0 + col·c1 + row·c2, Y = c3 + col·c4 + row·c5, for pixel-corner coordinates
/// (col, row) (the centre of pixel (0, 0) is (0.5, 0.5)).</summary>
public sealed record GeoTransform(double C0, double C1, double C2, double C3, double C4, double C5)
{
    public static GeoTransform FromArray(IReadOnlyList<double> gt) => gt.Count == 6
        ? new(gt[0], gt[1], gt[2], gt[3], gt[4], gt[5])
        : throw new ArgumentException($"A geotransform has 6 coefficients, got {gt.Count}.");

    public (double X, double Y) Apply(double col, double row) => (C0 + col * C1 + row * C2, C3 + col * C4 + row * C5);

    /// <summary>The transform of the same extent sampled <paramref name="factor"/> times finer.</summary>
    public GeoTransform Upsampled(int factor) => this with { C1 = C1 / factor, C2 = C2 / factor, C4 = C4 / factor, C5 = C5 / factor };

    public Geometry Apply(Geometry pixelGeometry)
    {
        var copy = pixelGeometry.Copy();
        copy.Apply(new TransformFilter(this));
        copy.GeometryChanged();
        return copy;
    }

    private sealed class TransformFilter(GeoTransform gt) : ICoordinateSequenceFilter
    {
        public bool Done => false;
        public bool GeometryChanged => true;
        public void Filter(CoordinateSequence seq, int i)
        {
            var (x, y) = gt.Apply(seq.GetX(i), seq.GetY(i));
            seq.SetX(i, x);
            seq.SetY(i, y);
        }
    }
}
