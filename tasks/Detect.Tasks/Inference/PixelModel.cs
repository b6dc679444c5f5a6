using System.Buffers;
using Microsoft.Extensions.Logging;

namespace Detect.Tasks.Inference;

/// <summary>
/// The pixel ("spectrogram") model: P(TPA) per pixel pair. Input per pixel: 24 raw L1C digital numbers,
/// index = band * 2 + date (bands B01, B02, B03, B04, B05, B06, B07, B08, B8A, B09, B11, B12; date 0 the
/// first mosaic of the pair). Scaling (/3000 or unit_norm) is inside the ONNX graph.
/// </summary>
public sealed class PixelModel
{
    public const int FeaturesPerPixel = 24;

    private readonly OnnxModelSession _session;
    private readonly int _batch;
    private readonly int _classIndex;

    public PixelModel(string onnxPath, InferenceSettings? settings = null, ILogger? logger = null, int classIndex = 1)
    {
        settings ??= InferenceSettings.Default;
        _session = OnnxModelSession.Get(onnxPath, settings, logger);
        _batch = Math.Max(1, settings.PixelBatch);
        _classIndex = classIndex;
    }

    public InferenceDevice Device => _session.Device;

    /// <summary>Scores <c>pairs.Length / 24</c> pixels into <paramref name="scores"/>, in batches.</summary>
    public void Predict(ReadOnlySpan<float> pairs, Span<float> scores)
    {
        if (pairs.Length % FeaturesPerPixel != 0)
            throw new ArgumentException($"pairs holds {pairs.Length} floats, not a multiple of {FeaturesPerPixel} (12 bands x 2 dates per pixel).", nameof(pairs));
        var count = pairs.Length / FeaturesPerPixel;
        if (scores.Length < count)
            throw new ArgumentException($"scores holds {scores.Length} values; {count} pixels need {count}.", nameof(scores));
        var width = _session.OutputWidth;
        var probabilities = ArrayPool<float>.Shared.Rent(Math.Min(_batch, count) * width);
        try
        {
            for (var start = 0; start < count; start += _batch)
            {
                var n = Math.Min(_batch, count - start);
                _session.Run(pairs.Slice(start * FeaturesPerPixel, n * FeaturesPerPixel), [n, FeaturesPerPixel], probabilities);
                ClassScores.Extract(probabilities.AsSpan(0, n * width), width, _classIndex, scores.Slice(start, n));
            }
        }
        finally { ArrayPool<float>.Shared.Return(probabilities); }
    }
}
