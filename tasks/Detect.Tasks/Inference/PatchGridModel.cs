using System.Buffers;
using Microsoft.Extensions.Logging;

namespace Detect.Tasks.Inference;

/// <summary>
/// The patch classifier slid over a whole tile in one pass (the manifest's <c>grid</c> ONNX of the patch
/// model): every 45 x 45 window at stride 8 is scored as <see cref="PatchModel"/> would score it, but the
/// convolutions run once over the tile instead of once per window (about 20x less work at stride 8).
/// Input: the tile's raw L1C digital numbers, NHWC (index = (row * width + col) * 12 + band).
/// Output: scores[i * Cols + j] = P(TPA) of the window at rows 8i..8i+44, cols 8j..8j+44.
/// </summary>
public sealed class PatchGridModel
{
    public const int Window = PatchModel.Size;
    public const int Stride = 8;
    private readonly OnnxModelSession _session;
    private readonly int _classIndex;

    public PatchGridModel(string gridOnnxPath, InferenceSettings? settings = null, ILogger? logger = null, int classIndex = 1)
    {
        settings ??= InferenceSettings.Default;
        _session = OnnxModelSession.Get(gridOnnxPath, settings with { ConcurrentBatches = false }, logger);
        _classIndex = classIndex;
    }

    public InferenceDevice Device => _session.Device;

    /// <summary>Windows along each axis of a tile: (size - 45) / 8 + 1.</summary>
    public static (int Rows, int Cols) GridSize(int height, int width) =>
        (height < Window ? 0 : (height - Window) / Stride + 1, width < Window ? 0 : (width - Window) / Stride + 1);

    /// <summary>Output size of the network along an axis: valid 3x3 conv and 2x2/2 pooling, three times, then the 3x3 head.</summary>
    private static int NetworkGrid(int size) => (((((size - 2) / 2) - 2) / 2 - 2) / 2) - 2;

    public void Predict(ReadOnlySpan<float> tile, int height, int width, Span<float> scores)
    {
        if (height < Window || width < Window)
            throw new ArgumentException($"A {height} x {width} tile is smaller than one {Window} x {Window} window.");
        if (tile.Length != (long)height * width * PatchModel.Bands)
            throw new ArgumentException($"tile holds {tile.Length} floats; {height} x {width} x {PatchModel.Bands} (NHWC) needs {(long)height * width * PatchModel.Bands}.", nameof(tile));
        var (rows, cols) = GridSize(height, width);
        if (scores.Length < rows * cols)
            throw new ArgumentException($"scores holds {scores.Length} values; a {rows} x {cols} grid needs {rows * cols}.", nameof(scores));
        // The network's output grid can be a row/column larger than the count of whole windows (its last
        // layers never look at a window's last 7 rows/cols); those partial windows are dropped.
        int outRows = NetworkGrid(height), outCols = NetworkGrid(width);
        const int classes = 2;
        var probabilities = ArrayPool<float>.Shared.Rent(classes * outRows * outCols);
        try
        {
            _session.Run(tile, [1, height, width, PatchModel.Bands], probabilities, [1, classes, outRows, outCols]);
            var plane = probabilities.AsSpan(_classIndex * outRows * outCols, outRows * outCols);
            for (var i = 0; i < rows; i++) plane.Slice(i * outCols, cols).CopyTo(scores.Slice(i * cols, cols));
        }
        finally { ArrayPool<float>.Shared.Return(probabilities); }
    }
}
