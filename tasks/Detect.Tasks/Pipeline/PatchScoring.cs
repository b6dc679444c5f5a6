using Detect.Tasks.Imagery;
using Detect.Tasks.Inference;
using Detect.Tasks.Mosaics;
using Detect.Tasks.Native.Gdal;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;

namespace Detect.Tasks.Pipeline;

/// <summary>
/// The patch classifier slid over a tile's mosaics: 45 px windows with a stride of 8 px (all at once, with the
/// model's tile form), scored on every mosaic with ≥ 90 % valid pixels and averaged over those mosaics
/// ("mean"). Only windows that touch the ROI are kept.
/// </summary>
public static class PatchScoring
{
    public const int Window = PatchGridModel.Window;
    public const int Stride = PatchGridModel.Stride;
    public const double MinValidFraction = 0.9;

    public sealed record ScoredWindow(Polygon Footprint, double Mean);

    public static IReadOnlyList<ScoredWindow> Score(IReadOnlyList<Mosaic> mosaics, Geometry roiWgs84, PatchGridModel model,
        Action<long>? progress = null, CancellationToken ct = default)
    {
        var usable = mosaics.Where(m => m.ValidFraction >= MinValidFraction).ToList();
        progress?.Invoke(mosaics.Count - usable.Count);
        if (usable.Count == 0) return [];
        var grid = usable[0].Grid;
        var (rows, cols) = PatchGridModel.GridSize(grid.Height, grid.Width);
        var sums = new double[rows * cols];
        var tile = new float[grid.PixelCount * SentinelBands.Count];
        var scores = new float[rows * cols];
        foreach (var mosaic in usable)
        {
            ct.ThrowIfCancellationRequested();
            ToNhwc(mosaic, tile);
            model.Predict(tile, grid.Height, grid.Width, scores);
            for (var i = 0; i < scores.Length; i++) sums[i] += scores[i];
            progress?.Invoke(1);
        }

        using var toWgs84 = CoordinateTransform.FromEpsg(grid.Epsg, 4326);
        var roi = PreparedGeometryFactory.Prepare(roiWgs84);
        var factory = new GeometryFactory(new PrecisionModel(), 4326);
        var kept = new List<ScoredWindow>();
        for (var r = 0; r < rows; r++)
        for (var c = 0; c < cols; c++)
        {
            var footprint = Footprint(grid.Transform, toWgs84, factory, c * Stride, r * Stride);
            if (roi.Intersects(footprint)) kept.Add(new ScoredWindow(footprint, sums[r * cols + c] / usable.Count));
        }
        return kept;
    }

    /// <summary>Band-major mosaic → pixel-major (NHWC) DNs; nodata (NaN) enters as 0, as the original's masked arrays did.</summary>
    private static void ToNhwc(Mosaic mosaic, float[] tile)
    {
        var n = mosaic.PixelCount;
        var bands = SentinelBands.Count;
        for (var b = 0; b < bands; b++)
        {
            var band = mosaic.Band(b);
            for (var i = 0; i < n; i++)
            {
                var v = band[i];
                tile[i * bands + b] = float.IsNaN(v) ? 0 : v;
            }
        }
    }

    private static Polygon Footprint(GeoTransform transform, CoordinateTransform toWgs84, GeometryFactory factory, int x, int y)
    {
        Coordinate Corner(int col, int row)
        {
            var (px, py) = transform.Apply(col, row);
            var (lon, lat) = toWgs84.Transform(px, py);
            return new Coordinate(lon, lat);
        }
        var a = Corner(x, y);
        return factory.CreatePolygon([a, Corner(x, y + Window), Corner(x + Window, y + Window), Corner(x + Window, y), a]);
    }
}
