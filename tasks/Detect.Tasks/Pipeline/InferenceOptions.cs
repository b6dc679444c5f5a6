using Detect.Tasks.Inference;

namespace Detect.Tasks.Pipeline;

/// <summary>Where inference runs; set for every task with <c>--device</c> or per family (<c>--Heatmap-device</c>).</summary>
public interface IRunsInference
{
    InferenceDevice Device { get; }
}

internal static class InferenceResources
{
    private static readonly IReadOnlyDictionary<string, int> None = new Dictionary<string, int>();
    private static readonly IReadOnlyDictionary<string, int> OneGpu = new Dictionary<string, int> { ["gpu"] = 1 };

    /// <summary>
    /// The "gpu" resource (capacity 1 unless --resources says more) only for a task that will really run on CUDA:
    /// <c>--device cuda</c>, or <c>auto</c> where CUDA runs in this process (probed once, before the scheduler
    /// first asks). On the CPU inference tasks hold nothing and run side by side; <see cref="CpuThreadBudget"/>
    /// keeps their ONNX Runtime threads within the cores.
    /// </summary>
    public static IReadOnlyDictionary<string, int> For(InferenceDevice device) => device switch
    {
        InferenceDevice.Cpu => None,
        InferenceDevice.Cuda => OneGpu,
        _ => CudaProbe.For(InferenceSettings.Default.CudaDeviceId).Available ? OneGpu : None,
    };
}
