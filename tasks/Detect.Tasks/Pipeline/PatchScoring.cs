using Detect.Tasks.Imagery;
using Detect.Tasks.Inference;
using Detect.Tasks.Mosaics;
using Detect.Tasks.Native.Gdal;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;

namespace Detect.Tasks.Pipeline;

/// <summary>
/// The patch classifier slid over a tile's mosaics: 45 px windows with a stride of 8 px, scored on every mosaic
/// with ≥ 90 % valid pixels, averaged over those mosaics ("mean"). Only windows that touch the ROI are scored.
/// </summary>
public static class PatchScoring
{
    public const int Window = PatchModel.Size;
    public const int Stride = 8;
    public const double MinValidFraction = 0.9;
    private const int Batch = 64;

    public sealed record ScoredWindow(Polygon Footprint, double Mean);

    public static IReadOnlyList<ScoredWindow> Score(IReadOnlyList<Mosaic> mosaics, Geometry roiWgs84, PatchModel model,
        Action<long>? progress = null, CancellationToken ct = default)
    {
        var usable = mosaics.Where(m => m.ValidFraction >= MinValidFraction).ToList();
        if (usable.Count == 0 || mosaics.Count == 0) return [];
        var grid = usable[0].Grid;
        using var toWgs84 = CoordinateTransform.FromEpsg(grid.Epsg, 4326);
        var roi = PreparedGeometryFactory.Prepare(roiWgs84);
        var factory = new GeometryFactory(new PrecisionModel(), 4326);

        var windows = new List<(int X, int Y, Polygon Footprint)>();
        for (var y = 0; y + Window <= grid.Height; y += Stride)
        for (var x = 0; x + Window <= grid.Width; x += Stride)
        {
            var footprint = Footprint(grid.Transform, toWgs84, factory, x, y);
            if (roi.Intersects(footprint)) windows.Add((x, y, footprint));
        }

        var sums = new double[windows.Count];
        var input = new float[Batch * PatchModel.FeaturesPerPatch];
        var scores = new float[Batch];
        foreach (var mosaic in usable)
        {
            for (var start = 0; start < windows.Count; start += Batch)
            {
                ct.ThrowIfCancellationRequested();
                var n = Math.Min(Batch, windows.Count - start);
                for (var k = 0; k < n; k++) Fill(mosaic, windows[start + k].X, windows[start + k].Y, input.AsSpan(k * PatchModel.FeaturesPerPatch, PatchModel.FeaturesPerPatch));
                model.Predict(input.AsSpan(0, n * PatchModel.FeaturesPerPatch), scores.AsSpan(0, n));
                for (var k = 0; k < n; k++) sums[start + k] += scores[k];
                progress?.Invoke(n);
            }
        }
        return windows.Select((w, i) => new ScoredWindow(w.Footprint, sums[i] / usable.Count)).ToList();
    }

    /// <summary>Total windows × usable mosaics, for progress.</summary>
    public static int UsableMosaics(IReadOnlyList<Mosaic> mosaics) => mosaics.Count(m => m.ValidFraction >= MinValidFraction);

    /// <summary>NHWC DNs of one window; nodata pixels (NaN) enter as 0, as the original's masked arrays did.</summary>
    private static void Fill(Mosaic mosaic, int x0, int y0, Span<float> patch)
    {
        var width = mosaic.Grid.Width;
        var data = mosaic.Data;
        var n = mosaic.PixelCount;
        for (var r = 0; r < Window; r++)
        for (var c = 0; c < Window; c++)
        {
            var pixel = (y0 + r) * width + x0 + c;
            var offset = (r * Window + c) * SentinelBands.Count;
            for (var b = 0; b < SentinelBands.Count; b++)
            {
                var v = data[b * n + pixel];
                patch[offset + b] = float.IsNaN(v) ? 0 : v;
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
