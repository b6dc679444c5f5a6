using Detect.Tasks.Analysis.Contours;
using Detect.Tasks.Imagery;
using Detect.Tasks.Inference;
using Detect.Tasks.Native.Gdal;
using NetTopologySuite.Geometries;

namespace Detect.Tasks.Pipeline;

/// <summary>
/// DESIGN step 7 on one site's monthly stack: pairs of months <c>interval</c> apart, ensemble prediction
/// (median over members), predictions below 0.5 zeroed, the rolling-median mask, then contours per frame.
/// </summary>
public static class SiteContours
{
    public const float PredictionFloor = 0.5f;

    public sealed record Frame(DateOnly Date, IReadOnlyList<ContourPolygon> Polygons);

    public static IReadOnlyList<Frame> Compute(GdalDataset stack, EnsembleModel ensemble, int interval, int windowSize = 8,
        float maskThreshold = 0.1f, ContourOptions? options = null)
    {
        var months = stack.BandCount / SentinelBands.Count;
        var width = stack.Width;
        var height = stack.Height;
        var pixels = width * height;
        var dates = Enumerable.Range(0, months)
            .Select(m => DateOnly.Parse(stack.GetBandDescription(m * SentinelBands.Count + 1)[..10], System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
        var data = new float[months][];
        for (var m = 0; m < months; m++)
        {
            data[m] = new float[SentinelBands.Count * pixels];
            for (var b = 0; b < SentinelBands.Count; b++)
                stack.Read(m * SentinelBands.Count + b + 1, 0, 0, width, height, data[m].AsSpan(b * pixels, pixels));
        }

        var frames = new List<float[]>();
        var frameDates = new List<DateOnly>();
        var features = new float[pixels * PixelModel.FeaturesPerPixel];
        var scores = new float[pixels];
        for (var m = 0; m + interval < months; m++)
        {
            var (first, second) = (data[m], data[m + interval]);
            var frame = new float[pixels];
            for (var i = 0; i < pixels; i++)
                for (var b = 0; b < SentinelBands.Count; b++)
                {
                    features[i * PixelModel.FeaturesPerPixel + b * 2] = first[b * pixels + i];
                    features[i * PixelModel.FeaturesPerPixel + b * 2 + 1] = second[b * pixels + i];
                }
            ensemble.Predict(features, scores);
            for (var i = 0; i < pixels; i++)
            {
                var valid = !float.IsNaN(first[i]) && !float.IsNaN(second[i]);
                frame[i] = !valid ? float.NaN : scores[i] < PredictionFloor ? 0 : scores[i];
            }
            frames.Add(frame);
            frameDates.Add(dates[m + interval]);
        }
        if (frames.Count == 0) return [];

        var masked = RollingMedianMask.Apply(frames, width, height, windowSize, maskThreshold);
        var transform = stack.GeoTransform;
        return masked.Select((frame, k) => new Frame(frameDates[k], FrameContours.Extract(frame, width, height, transform, geographic: false, options))).ToList();
    }

    /// <summary>Reprojects a polygon from the stack's UTM CRS to WGS84.</summary>
    public static Geometry ToWgs84(Polygon polygon, int epsg) => Geo.GeometryReprojection.Transform(polygon, epsg, 4326);
}
