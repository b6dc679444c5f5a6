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
    private readonly BatchRunner _runner;

    public PatchModel(string onnxPath, InferenceSettings? settings = null, ILogger? logger = null, int classIndex = 1)
    {
        settings ??= InferenceSettings.Default;
        _runner = new BatchRunner(onnxPath, settings, logger, [Size, Size, Bands], settings.PatchBatch, classIndex);
    }

    public InferenceDevice Device => _runner.Device;

    public void Predict(ReadOnlySpan<float> patches, Span<float> scores) =>
        _runner.Predict(patches, scores, "patches (45 x 45 x 12 NHWC per patch)");
}
