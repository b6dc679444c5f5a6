using Detect.Engine.Parameters;
using Detect.Tasks.Inference;

namespace Detect.Tasks.Pipeline;

/// <summary>Where inference runs; set for every task with <c>--device</c> or per family (<c>--Heatmap-device</c>).</summary>
public interface IRunsInference
{
    InferenceDevice Device { get; }
}

internal static class InferenceResources
{
    /// <summary>Inference tasks hold the "gpu" resource (capacity 1 unless --resources says more) when CUDA may be used.</summary>
    public static IReadOnlyDictionary<string, int> For(InferenceDevice device) =>
        device == InferenceDevice.Cpu ? new Dictionary<string, int>() : new Dictionary<string, int> { ["gpu"] = 1 };
}
