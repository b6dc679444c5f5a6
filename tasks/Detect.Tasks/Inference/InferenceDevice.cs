namespace Detect.Tasks.Inference;

/// <summary>
/// Where models run: <c>Auto</c> uses the CUDA execution provider when its library is present and loads,
/// else the CPU; <c>Cuda</c> requires it (an error otherwise); <c>Cpu</c> never tries it.
/// </summary>
public enum InferenceDevice { Auto, Cpu, Cuda }
