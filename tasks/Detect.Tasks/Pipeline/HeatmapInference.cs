using System.Buffers;
using Detect.Tasks.Imagery;
using Detect.Tasks.Inference;
using Detect.Tasks.Mosaics;

namespace Detect.Tasks.Pipeline;

/// <summary>
/// The pixel model over pairs of mosaics: for every pixel valid in both mosaics of a pair, P(TPA); the
/// heatmap is the per-pixel median over the pairs that had a prediction (NaN where none had).
/// </summary>
public static class HeatmapInference
{
    private const int ChunkPixels = 1 << 16;

    public static float[] Median(IReadOnlyList<(Mosaic First, Mosaic Second)> pairs, PixelModel model, Action<long>? progress = null,
        CancellationToken ct = default)
    {
        if (pairs.Count == 0) throw new ArgumentException("No mosaic pairs: the date range holds fewer than spectrogram_interval + 1 mosaic periods.");
        var pixels = pairs[0].First.PixelCount;
        var perPair = new float[pairs.Count][];
        var features = ArrayPool<float>.Shared.Rent(ChunkPixels * PixelModel.FeaturesPerPixel);
        var scores = ArrayPool<float>.Shared.Rent(ChunkPixels);
        var index = ArrayPool<int>.Shared.Rent(ChunkPixels);
        try
        {
            for (var p = 0; p < pairs.Count; p++)
            {
                var (first, second) = pairs[p];
                var result = perPair[p] = new float[pixels];
                Array.Fill(result, float.NaN);
                var count = 0;
                for (var i = 0; i < pixels; i++)
                {
                    if (!first.IsValid(i) || !second.IsValid(i)) continue;
                    var f = features.AsSpan(count * PixelModel.FeaturesPerPixel, PixelModel.FeaturesPerPixel);
                    for (var b = 0; b < SentinelBands.Count; b++)
                    {
                        f[b * 2] = first[b, i];
                        f[b * 2 + 1] = second[b, i];
                    }
                    index[count++] = i;
                    if (count == ChunkPixels) { Flush(model, features, scores, index, count, result); progress?.Invoke(count); count = 0; ct.ThrowIfCancellationRequested(); }
                }
                if (count > 0) { Flush(model, features, scores, index, count, result); progress?.Invoke(count); }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(features);
            ArrayPool<float>.Shared.Return(scores);
            ArrayPool<int>.Shared.Return(index);
        }
        return MedianOverPairs(perPair, pixels);
    }

    private static void Flush(PixelModel model, float[] features, float[] scores, int[] index, int count, float[] result)
    {
        model.Predict(features.AsSpan(0, count * PixelModel.FeaturesPerPixel), scores.AsSpan(0, count));
        for (var k = 0; k < count; k++) result[index[k]] = scores[k];
    }

    /// <summary>Per pixel, the median of the non-NaN values (mean of the middle two for an even count), else NaN.</summary>
    public static float[] MedianOverPairs(IReadOnlyList<float[]> perPair, int pixels)
    {
        var median = new float[pixels];
        Span<float> values = stackalloc float[perPair.Count];
        for (var i = 0; i < pixels; i++)
        {
            var n = 0;
            foreach (var pair in perPair)
                if (!float.IsNaN(pair[i])) values[n++] = pair[i];
            if (n == 0) { median[i] = float.NaN; continue; }
            var v = values[..n];
            v.Sort();
            median[i] = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2f;
        }
        return median;
    }
}
