namespace Detect.Tasks.Inference;

/// <summary>How sessions run. The defaults suit a small (2-core) machine; see bench/README-models.md.</summary>
public sealed record InferenceSettings
{
    public InferenceDevice Device { get; init; } = InferenceDevice.Auto;

    /// <summary>Intra-op threads of ONNX Runtime's CPU provider (default: all cores).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    public bool AllowSpinning { get; init; } = true;

    /// <summary>
    /// CPU: run batches concurrently, one ORT thread each (true), instead of one batch at a time on
    /// <see cref="Threads"/> intra-op threads.
    /// </summary>
    public bool ConcurrentBatches { get; init; } = true;

    /// <summary>Pixels per ONNX Runtime call for pixel models on the CPU (small batches stay in cache).</summary>
    public int PixelBatch { get; init; } = 1024;

    /// <summary>Patches per ONNX Runtime call for the patch model on the CPU.</summary>
    public int PatchBatch { get; init; } = 16;

    /// <summary>Input floats per ONNX Runtime call on CUDA (large batches amortise the launches and copies).</summary>
    public int GpuBatch { get; init; } = 1 << 24;

    public int CudaDeviceId { get; init; }

    public static InferenceSettings Default { get; } = new();
}
