using Detect.Tasks.Imagery;
using Detect.Tasks.Inference;
using Detect.Tasks.Mosaics;
using Detect.Tasks.Native.Gdal;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;

namespace Detect.Tasks.Pipeline;

/// <summary>
/// The patch classifier slid over a tile's mosaics: 45 px windows with a stride of 8 px (all at once, with the
/// model's tile form), each window scored on every mosaic where it has ≥ 90 % valid pixels and averaged over
/// those mosaics ("mean"). Per window, not per mosaic: imagery that covers only part of a tile (a ROI smaller
/// than the tile, the tile at a swath edge) would otherwise leave no mosaic to score at all. Only windows
/// that touch the ROI and have at least one such mosaic are kept.
/// </summary>
public static class PatchScoring
{
    public const int Window = PatchGridModel.Window;
    public const int Stride = PatchGridModel.Stride;
    public const double MinValidFraction = 0.9;

    public sealed record ScoredWindow(Polygon Footprint, double Mean);

    /// <param name="mosaics">The tile's mosaics, one at a time: a lazy sequence keeps one in memory (41 MB for a 900 px tile).</param>
    public static IReadOnlyList<ScoredWindow> Score(IEnumerable<Mosaic> mosaics, Geometry roiWgs84, PatchGridModel model,
        Action<long>? progress = null, CancellationToken ct = default)
    {
        RasterGrid? grid = null;
        int rows = 0, cols = 0;
        double[] sums = [];
        int[] counts = [];
        float[] tile = [], scores = [];
        bool[] valid = [];
        foreach (var mosaic in mosaics)
        {
            ct.ThrowIfCancellationRequested();
            if (grid is null)
            {
                grid = mosaic.Grid;
                (rows, cols) = PatchGridModel.GridSize(grid.Height, grid.Width);
                (sums, counts, scores, valid) = (new double[rows * cols], new int[rows * cols], new float[rows * cols], new bool[rows * cols]);
                tile = new float[grid.PixelCount * SentinelBands.Count];
            }
            else if (!mosaic.Grid.Equals(grid)) throw new ArgumentException("The mosaics of one tile lie on one grid.", nameof(mosaics));
            if (MarkValidWindows(mosaic, rows, cols, valid) > 0)
            {
                ToNhwc(mosaic, tile);
                model.Predict(tile, grid.Height, grid.Width, scores);
                for (var i = 0; i < scores.Length; i++)
                    if (valid[i]) { sums[i] += scores[i]; counts[i]++; }
            }
            progress?.Invoke(1);
        }

        if (grid is null) return [];
        using var toWgs84 = CoordinateTransform.FromEpsg(grid.Epsg, 4326);
        var roi = PreparedGeometryFactory.Prepare(roiWgs84);
        var factory = new GeometryFactory(new PrecisionModel(), 4326);
        var kept = new List<ScoredWindow>();
        for (var r = 0; r < rows; r++)
        for (var c = 0; c < cols; c++)
        {
            var footprint = Footprint(grid.Transform, toWgs84, factory, c * Stride, r * Stride);
            if (counts[r * cols + c] > 0 && roi.Intersects(footprint)) kept.Add(new ScoredWindow(footprint, sums[r * cols + c] / counts[r * cols + c]));
        }
        return kept;
    }

    /// <summary>Marks the windows with ≥ 90 % valid pixels in <paramref name="mosaic"/> (a summed-area table of its valid mask); returns how many.</summary>
    private static int MarkValidWindows(Mosaic mosaic, int rows, int cols, bool[] valid)
    {
        var (w, h) = (mosaic.Grid.Width, mosaic.Grid.Height);
        var table = new int[(w + 1) * (h + 1)];
        for (var y = 0; y < h; y++)
        {
            var rowSum = 0;
            for (var x = 0; x < w; x++)
            {
                rowSum += mosaic.IsValid(y * w + x) ? 1 : 0;
                table[(y + 1) * (w + 1) + x + 1] = table[y * (w + 1) + x + 1] + rowSum;
            }
        }
        var needed = MinValidFraction * Window * Window;
        var count = 0;
        for (var r = 0; r < rows; r++)
        for (var c = 0; c < cols; c++)
        {
            int x0 = c * Stride, y0 = r * Stride, x1 = x0 + Window, y1 = y0 + Window;
            var sum = table[y1 * (w + 1) + x1] - table[y0 * (w + 1) + x1] - table[y1 * (w + 1) + x0] + table[y0 * (w + 1) + x0];
            valid[r * cols + c] = sum >= needed;
            if (valid[r * cols + c]) count++;
        }
        return count;
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
