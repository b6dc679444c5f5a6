using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace Detect.Tasks.Inference;

/// <summary>Thrown when <c>--device cuda</c> is asked for and the CUDA execution provider cannot be used.</summary>
public sealed class CudaUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Session options for a device, with the device choice explained in one log line.</summary>
internal static class SessionOptionsFactory
{
    /// <summary>
    /// Builds options for <paramref name="requested"/>; returns the device actually used. The CUDA provider is
    /// looked for in <paramref name="providerFolder"/> (default: beside libonnxruntime.so, where ORT loads it from).
    /// </summary>
    public static (SessionOptions Options, InferenceDevice Device) Create(
        InferenceDevice requested, InferenceSettings settings, ILogger logger, string modelName, string? providerFolder = null)
    {
        var library = OrtNativeLibrary.EnsureRegistered();
        var options = NewCpuOptions(settings);
        if (requested == InferenceDevice.Cpu)
        {
            Announce(logger, "cpu", "{Model}: inference on CPU ({Threads} threads): --device cpu", modelName, settings.Threads);
            return (options, InferenceDevice.Cpu);
        }

        var provider = Path.Combine(providerFolder ?? Path.GetDirectoryName(library)!, OrtNativeLibrary.CudaProviderFile);
        string? why = null;
        if (!File.Exists(provider))
        {
            why = $"the CUDA execution provider {provider} is not installed " +
                  "(fetch it with DETECT_ORT_GPU=1 scripts/fetch-onnxruntime.sh; it needs CUDA 13 and cuDNN 9)";
        }
        else
        {
            try
            {
                options.AppendExecutionProvider_CUDA(settings.CudaDeviceId);
                Announce(logger, "cuda" + settings.CudaDeviceId, "{Model}: inference on CUDA device {Device} (--device {Requested}): {Provider} loaded",
                    modelName, settings.CudaDeviceId, requested.ToString().ToLowerInvariant(), provider);
                return (options, InferenceDevice.Cuda);
            }
            catch (OnnxRuntimeException e)
            {
                why = $"the CUDA execution provider failed to load: {e.Message} " +
                      "(it needs a CUDA 13 driver/runtime, cuBLAS and cuDNN 9 libraries on the library path, and a GPU)";
                options.Dispose();
                options = NewCpuOptions(settings);
            }
        }

        if (requested == InferenceDevice.Cuda)
        {
            options.Dispose();
            throw new CudaUnavailableException($"--device cuda was asked for, but {why}. Use --device auto or cpu to run on the CPU.");
        }
        Announce(logger, "fallback " + why, "{Model}: inference on CPU ({Threads} threads), not CUDA: {Why}", modelName, settings.Threads, why!);
        return (options, InferenceDevice.Cpu);
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> Announced = new();

    /// <summary>The device choice and why, at Information the first time per process, then at Debug (one line, not one per model).</summary>
    private static void Announce(ILogger logger, string decision, string template, params object[] args) =>
        logger.Log(Announced.TryAdd(decision, true) ? LogLevel.Information : LogLevel.Debug, template, args);

    private static SessionOptions NewCpuOptions(InferenceSettings settings)
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = settings.Threads,
            InterOpNumThreads = 1,
            EnableCpuMemArena = true,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        // Spinning threads burn a core waiting for work; on a 2-core machine shared with I/O that costs more than it saves.
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", settings.AllowSpinning ? "1" : "0");
        return options;
    }
}
