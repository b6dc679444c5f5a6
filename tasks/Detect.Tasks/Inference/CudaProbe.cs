using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace Detect.Tasks.Inference;

/// <summary>Whether CUDA can run ONNX Runtime sessions in this process, and if not, why (for the log and errors).</summary>
public sealed record CudaAvailability(bool Available, string Reason);

/// <summary>
/// Answers "can CUDA run here?" once per process and device id, before any task asks for its resources: the CUDA
/// execution provider must lie beside libonnxruntime.so (only the GPU build, <c>DETECT_ORT_GPU=1</c>, ships it), load
/// with all of its CUDA 13 / cuDNN 9 libraries, and run a one-node session on the device.
/// </summary>
public static class CudaProbe
{
    public const string ProviderFile = "libonnxruntime_providers_cuda.so";

    /// <summary>How to get a CUDA-capable build: said in every message that explains why CUDA is not used.</summary>
    public const string GpuBuildHint =
        "the GPU build uses Microsoft.ML.OnnxRuntime.Gpu.Linux: build with DETECT_ORT_GPU=1 (./detect, scripts/setup.sh) " +
        "or dotnet build -p:DetectGpu=true; it needs an NVIDIA driver for CUDA 13, the CUDA 13 runtime libraries and cuDNN 9";

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, Lazy<CudaAvailability>> Results = new();

    /// <summary>The folder ONNX Runtime loads its execution providers from: beside libonnxruntime.so, beside the program.</summary>
    public static string ProviderFolder => AppContext.BaseDirectory;

    /// <summary>The answer for <paramref name="deviceId"/> in this process (probed on first use, then cached).</summary>
    public static CudaAvailability For(int deviceId = 0) =>
        Results.GetOrAdd(deviceId, id => new Lazy<CudaAvailability>(() => Probe(ProviderFolder, id))).Value;

    /// <summary>Probes <paramref name="providerFolder"/> (uncached; tests point it at folders without a working provider).</summary>
    internal static CudaAvailability Probe(string providerFolder, int deviceId)
    {
        var provider = Path.Combine(providerFolder, ProviderFile);
        if (!File.Exists(provider))
            return new(false, $"this is the CPU build of ONNX Runtime (no {provider}); {GpuBuildHint}");
        // Loading the provider ourselves first gives the loader's own message (e.g. "libcublasLt.so.13: cannot open
        // shared object file") where ONNX Runtime would only say "Failed to load shared library".
        try { NativeLibrary.Load(provider); }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            return new(false, $"the CUDA execution provider {provider} cannot be loaded: {LoaderMessage(e)} " +
                              "(it needs the NVIDIA driver's libcuda.so.1, the CUDA 13 runtime — libcudart, libcublas, libcublasLt .so.13, " +
                              "libcurand .so.10, libnvrtc .so.13 — and cuDNN 9 on the library path, e.g. the nvidia/cuda:13.x-cudnn-runtime image)");
        }
        try
        {
            using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
            options.AppendExecutionProvider_CUDA(deviceId);
            using var session = new InferenceSession(ProbeModel.Bytes, options);
            float[] input = [-1f, 2f], output = new float[ProbeModel.Length];
            using var x = OrtValue.CreateTensorValueFromMemory(input, [ProbeModel.Length]);
            using var y = OrtValue.CreateTensorValueFromMemory(output, [ProbeModel.Length]);
            session.Run(null, [ProbeModel.Input], [x], [ProbeModel.Output], [y]);
            return output is [0f, 2f]
                ? new(true, $"{provider} loaded and ran on CUDA device {deviceId}")
                : new(false, $"a test session on CUDA device {deviceId} returned [{string.Join(", ", output)}] instead of [0, 2]");
        }
        catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException)
        {
            return new(false, $"CUDA device {deviceId} cannot run ONNX Runtime: {e.Message} (an NVIDIA GPU with a CUDA 13 driver is needed)");
        }
    }

    /// <summary>The dynamic loader's own words (.NET puts them on the last line, after advice about strace and LD_DEBUG).</summary>
    private static string LoaderMessage(Exception e) =>
        e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? e.Message;
}
