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
    private readonly BatchRunner _runner;

    public PixelModel(string onnxPath, InferenceSettings? settings = null, ILogger? logger = null, int classIndex = 1)
    {
        settings ??= InferenceSettings.Default;
        _runner = new BatchRunner(onnxPath, settings, logger, [FeaturesPerPixel], settings.PixelBatch, classIndex);
    }

    public InferenceDevice Device => _runner.Device;

    /// <summary>Scores <c>pairs.Length / 24</c> pixels into <paramref name="scores"/>.</summary>
    public void Predict(ReadOnlySpan<float> pairs, Span<float> scores) =>
        _runner.Predict(pairs, scores, "pixel pairs (12 bands x 2 dates per pixel)");
}
