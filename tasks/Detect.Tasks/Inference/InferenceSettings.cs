namespace Detect.Tasks.Inference;

/// <summary>How sessions run. The defaults suit a small (2-core) machine; see bench/README-models.md.</summary>
public sealed record InferenceSettings
{
    public InferenceDevice Device { get; init; } = InferenceDevice.Auto;

    /// <summary>Intra-op threads of ONNX Runtime's CPU provider (default: all cores).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    public bool AllowSpinning { get; init; } = true;

    /// <summary>Pixels per ONNX Runtime call for pixel models.</summary>
    public int PixelBatch { get; init; } = 16384;

    /// <summary>Patches per ONNX Runtime call for the patch model.</summary>
    public int PatchBatch { get; init; } = 64;

    public int CudaDeviceId { get; init; }

    public static InferenceSettings Default { get; } = new();
}
