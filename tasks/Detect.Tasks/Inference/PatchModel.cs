using System.Buffers;
using Microsoft.Extensions.Logging;

namespace Detect.Tasks.Inference;

/// <summary>
/// The 45 px patch classifier: P(TPA) per patch. Input per patch: 45 x 45 x 12 raw L1C digital numbers in
/// NHWC order (index = (row * 45 + col) * 12 + band); the /3000 scaling is inside the ONNX graph.
/// </summary>
public sealed class PatchModel
{
    public const int Size = 45;
    public const int Bands = 12;
    public const int FeaturesPerPatch = Size * Size * Bands;

    private readonly OnnxModelSession _session;
    private readonly int _batch;
    private readonly int _classIndex;

    public PatchModel(string onnxPath, InferenceSettings? settings = null, ILogger? logger = null, int classIndex = 1)
    {
        settings ??= InferenceSettings.Default;
        _session = OnnxModelSession.Get(onnxPath, settings, logger);
        _batch = Math.Max(1, settings.PatchBatch);
        _classIndex = classIndex;
    }

    public InferenceDevice Device => _session.Device;

    public void Predict(ReadOnlySpan<float> patches, Span<float> scores)
    {
        if (patches.Length % FeaturesPerPatch != 0)
            throw new ArgumentException($"patches holds {patches.Length} floats, not a multiple of {FeaturesPerPatch} (45 x 45 x 12 per patch).", nameof(patches));
        var count = patches.Length / FeaturesPerPatch;
        if (scores.Length < count)
            throw new ArgumentException($"scores holds {scores.Length} values; {count} patches need {count}.", nameof(scores));
        var width = _session.OutputWidth;
        var probabilities = ArrayPool<float>.Shared.Rent(Math.Min(_batch, count) * width);
        try
        {
            for (var start = 0; start < count; start += _batch)
            {
                var n = Math.Min(_batch, count - start);
                _session.Run(patches.Slice(start * FeaturesPerPatch, n * FeaturesPerPatch), [n, Size, Size, Bands], probabilities);
                ClassScores.Extract(probabilities.AsSpan(0, n * width), width, _classIndex, scores.Slice(start, n));
            }
        }
        finally { ArrayPool<float>.Shared.Return(probabilities); }
    }
}
