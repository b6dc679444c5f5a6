using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Detect.Tasks.Inference;

/// <summary>
/// One ONNX Runtime session over a model file, shared process-wide per (file, device, settings), run directly
/// over caller memory: the input and output tensors are views of pinned spans, nothing is copied.
/// Run is thread-safe (ORT sessions are). Sessions live as long as the process.
/// </summary>
public sealed class OnnxModelSession
{
    private static readonly ConcurrentDictionary<(string, InferenceSettings), Lazy<OnnxModelSession>> Cache = new();

    private readonly InferenceSession _session;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly int _cpuThreads; // 0 on CUDA

    private OnnxModelSession(string path, InferenceSettings settings, ILogger logger)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"ONNX model {path} does not exist; fetch it with the ModelFile task.", path);
        Path = path;
        var (options, device) = SessionOptionsFactory.Create(settings.Device, settings, logger, System.IO.Path.GetFileName(path));
        using (options)
        {
            try { _session = new InferenceSession(path, options); }
            catch (OnnxRuntimeException e)
            {
                throw new InvalidDataException($"ONNX Runtime cannot load {path}: {e.Message}", e);
            }
        }
        Device = device;
        _cpuThreads = device == InferenceDevice.Cpu ? settings.Threads : 0;
        _inputNames = [_session.InputNames.Single()];
        _outputNames = [_session.OutputNames.Single()];
        OutputWidth = Math.Max(0, _session.OutputMetadata[_outputNames[0]].Dimensions[^1]); // 0 when symbolic
    }

    /// <summary>The session for <paramref name="path"/> and these settings, made on first use.</summary>
    public static OnnxModelSession Get(string path, InferenceSettings? settings = null, ILogger? logger = null)
    {
        settings ??= InferenceSettings.Default;
        var key = (System.IO.Path.GetFullPath(path), settings with { PixelBatch = 0, PatchBatch = 0, GpuBatch = 0 });
        var lazy = Cache.GetOrAdd(key, k => new Lazy<OnnxModelSession>(
            () => new OnnxModelSession(k.Item1, k.Item2, logger ?? NullLogger.Instance)));
        try { return lazy.Value; }
        catch
        {
            Cache.TryRemove(new KeyValuePair<(string, InferenceSettings), Lazy<OnnxModelSession>>(key, lazy)); // retry next time
            throw;
        }
    }

    public string Path { get; }

    /// <summary>The device the session runs on (Auto resolved to Cpu or Cuda).</summary>
    public InferenceDevice Device { get; }

    /// <summary>Values per item in the output (2 class probabilities); 0 for outputs whose last axis is symbolic.</summary>
    public int OutputWidth { get; }

    /// <summary>Runs one batch: <paramref name="input"/> shaped <paramref name="shape"/>, output [N, OutputWidth].</summary>
    public void Run(ReadOnlySpan<float> input, long[] shape, Span<float> output) =>
        Run(input, shape, output, [shape[0], OutputWidth]);

    /// <summary>Runs once: <paramref name="input"/> shaped <paramref name="shape"/> into <paramref name="output"/> shaped <paramref name="outputShape"/>.</summary>
    public unsafe void Run(ReadOnlySpan<float> input, long[] shape, Span<float> output, long[] outputShape)
    {
        var needed = outputShape.Aggregate(1L, (a, b) => a * b);
        if (output.Length < needed)
            throw new ArgumentException($"output holds {output.Length} floats; shape [{string.Join(", ", outputShape)}] needs {needed}.");
        fixed (float* inputPtr = input)
        fixed (float* outputPtr = output)
        {
            using var inputValue = OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, TensorElementType.Float,
                shape, (IntPtr)inputPtr, (long)input.Length * sizeof(float));
            using var outputValue = OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, TensorElementType.Float,
                outputShape, (IntPtr)outputPtr, (long)output.Length * sizeof(float));
            // On the CPU a run holds as many of the process's thread slots as the session has intra-op threads.
            using var slots = _cpuThreads > 0 ? CpuThreadBudget.Acquire(_cpuThreads) : default;
            _session.Run(null, _inputNames, [inputValue], _outputNames, [outputValue]);
        }
    }
}
