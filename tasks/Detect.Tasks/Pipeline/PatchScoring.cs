using Detect.Tasks.Imagery;
using Detect.Tasks.Inference;
using Detect.Tasks.Mosaics;
using Detect.Tasks.Native.Gdal;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;

namespace Detect.Tasks.Pipeline;

/// <summary>
/// The patch classifier slid over a tile's mosaics: 45 px windows with a stride of 8 px (all at once, with the
/// model's tile form). A window is scored on every mosaic in which ≥ 90 % of its pixels are valid, and its
/// "mean" is the average over those mosaics; windows with no such mosaic, or that miss the ROI, are dropped.
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
        if (mosaics.Count == 0) return [];
        var grid = mosaics[0].Grid;
        var (rows, cols) = PatchGridModel.GridSize(grid.Height, grid.Width);
        var sums = new double[rows * cols];
        var counts = new int[rows * cols];
        var tile = new float[grid.PixelCount * SentinelBands.Count];
        var scores = new float[rows * cols];
        var minValid = (int)Math.Ceiling(MinValidFraction * Window * Window);
        foreach (var mosaic in mosaics)
        {
            ct.ThrowIfCancellationRequested();
            var valid = ValidCounts(mosaic, rows, cols);
            if (valid.Max() >= minValid)
            {
                ToNhwc(mosaic, tile);
                model.Predict(tile, grid.Height, grid.Width, scores);
                for (var i = 0; i < scores.Length; i++)
                    if (valid[i] >= minValid) { sums[i] += scores[i]; counts[i]++; }
            }
            progress?.Invoke(1);
        }

        using var toWgs84 = CoordinateTransform.FromEpsg(grid.Epsg, 4326);
        var roi = PreparedGeometryFactory.Prepare(roiWgs84);
        var factory = new GeometryFactory(new PrecisionModel(), 4326);
        var kept = new List<ScoredWindow>();
        for (var r = 0; r < rows; r++)
        for (var c = 0; c < cols; c++)
        {
            var i = r * cols + c;
            if (counts[i] == 0) continue;
            var footprint = Footprint(grid.Transform, toWgs84, factory, c * Stride, r * Stride);
            if (roi.Intersects(footprint)) kept.Add(new ScoredWindow(footprint, sums[i] / counts[i]));
        }
        return kept;
    }

    /// <summary>Valid pixels in each window of the grid, from a summed-area table of the mosaic's valid mask.</summary>
    private static int[] ValidCounts(Mosaic mosaic, int rows, int cols)
    {
        int w = mosaic.Grid.Width, h = mosaic.Grid.Height;
        var sat = new int[(w + 1) * (h + 1)];
        for (var y = 0; y < h; y++)
        {
            var rowSum = 0;
            for (var x = 0; x < w; x++)
            {
                rowSum += mosaic.IsValid(y * w + x) ? 1 : 0;
                sat[(y + 1) * (w + 1) + x + 1] = sat[y * (w + 1) + x + 1] + rowSum;
            }
        }
        var counts = new int[rows * cols];
        for (var r = 0; r < rows; r++)
        for (var c = 0; c < cols; c++)
        {
            int x0 = c * Stride, y0 = r * Stride, x1 = x0 + Window, y1 = y0 + Window;
            counts[r * cols + c] = sat[y1 * (w + 1) + x1] - sat[y0 * (w + 1) + x1] - sat[y1 * (w + 1) + x0] + sat[y0 * (w + 1) + x0];
        }
        return counts;
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
