using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace Detect.Tasks.Inference;

/// <summary>Thrown when <c>--device cuda</c> is asked for and the CUDA execution provider cannot be used.</summary>
public sealed class CudaUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Session options for a device, with the device choice explained in one log line.</summary>
internal static class SessionOptionsFactory
{
    /// <summary>
    /// Builds options for <paramref name="requested"/>; returns the device actually used. <paramref name="cuda"/>
    /// is whether CUDA can run here (default: <see cref="CudaProbe.For"/>, probed once per process).
    /// </summary>
    public static (SessionOptions Options, InferenceDevice Device) Create(
        InferenceDevice requested, InferenceSettings settings, ILogger logger, string modelName, CudaAvailability? cuda = null)
    {
        if (requested == InferenceDevice.Cpu)
        {
            Announce(logger, "cpu", "{Model}: inference on CPU ({Threads} threads): --device cpu", modelName, settings.Threads);
            return (NewCpuOptions(settings), InferenceDevice.Cpu);
        }

        cuda ??= CudaProbe.For(settings.CudaDeviceId);
        if (cuda.Available)
        {
            var options = NewCpuOptions(settings);
            try { options.AppendExecutionProvider_CUDA(settings.CudaDeviceId); }
            catch { options.Dispose(); throw; }
            Announce(logger, "cuda" + settings.CudaDeviceId, "{Model}: inference on CUDA device {Device} (--device {Requested}): {Why}",
                modelName, settings.CudaDeviceId, requested.ToString().ToLowerInvariant(), cuda.Reason);
            return (options, InferenceDevice.Cuda);
        }
        if (requested == InferenceDevice.Cuda)
            throw new CudaUnavailableException($"--device cuda was asked for, but {cuda.Reason}. Use --device auto or cpu to run on the CPU.");
        Announce(logger, "fallback " + cuda.Reason, "{Model}: inference on CPU ({Threads} threads), not CUDA: {Why}", modelName, settings.Threads, cuda.Reason);
        return (NewCpuOptions(settings), InferenceDevice.Cpu);
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
