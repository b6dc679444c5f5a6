using System.Buffers;

namespace Detect.Tasks.Inference;

/// <summary>
/// Runs a model over many items in batches straight from the caller's memory. On the CPU, batches run
/// concurrently (one ORT thread each): for these small models that beats ORT's intra-op threads, which
/// synchronise on every layer (bench/README-models.md). Scores are written in place; nothing per item is allocated.
/// </summary>
internal sealed class BatchRunner
{
    private readonly OnnxModelSession _session;
    private readonly long[] _itemShape;
    private readonly int _itemLength;
    private readonly int _batch;
    private readonly int _concurrency;
    private readonly int _classIndex;

    public BatchRunner(string onnxPath, InferenceSettings settings, Microsoft.Extensions.Logging.ILogger? logger,
        long[] itemShape, int cpuBatch, int classIndex)
    {
        var concurrent = settings.ConcurrentBatches && settings.Threads > 1;
        _session = OnnxModelSession.Get(onnxPath, concurrent ? settings with { Threads = 1, ConcurrentBatches = false } : settings, logger);
        _itemShape = itemShape;
        _itemLength = (int)itemShape.Aggregate(1L, (a, b) => a * b);
        var onGpu = _session.Device == InferenceDevice.Cuda;
        _batch = Math.Max(1, onGpu ? settings.GpuBatch / _itemLength : cpuBatch);
        _concurrency = onGpu || !concurrent ? 1 : settings.Threads;
        if (classIndex < 0 || classIndex >= _session.OutputWidth)
            throw new ArgumentException(
                $"{onnxPath} outputs {_session.OutputWidth} value(s) per item; class index {classIndex} does not exist (the manifest's output.class_index).",
                nameof(classIndex));
        _classIndex = classIndex;
    }

    public InferenceDevice Device => _session.Device;

    public unsafe void Predict(ReadOnlySpan<float> input, Span<float> scores, string what)
    {
        if (input.Length % _itemLength != 0)
            throw new ArgumentException($"{what}: input holds {input.Length} floats, not a multiple of {_itemLength} ({string.Join(" x ", _itemShape)} per item).", nameof(input));
        var count = input.Length / _itemLength;
        if (scores.Length < count)
            throw new ArgumentException($"{what}: scores holds {scores.Length} values; {count} items need {count}.", nameof(scores));
        var batches = (count + _batch - 1) / _batch;
        fixed (float* inputPtr = input)
        fixed (float* scoresPtr = scores)
        {
            var inAddress = (IntPtr)inputPtr;
            var outAddress = (IntPtr)scoresPtr;
            if (_concurrency == 1 || batches == 1)
            {
                for (var b = 0; b < batches; b++) RunBatch(inAddress, outAddress, b, count);
            }
            else
            {
                Parallel.For(0, batches, new ParallelOptions { MaxDegreeOfParallelism = _concurrency },
                    b => RunBatch(inAddress, outAddress, b, count));
            }
        }
    }

    private unsafe void RunBatch(IntPtr input, IntPtr scores, int batchIndex, int count)
    {
        var start = batchIndex * _batch;
        var n = Math.Min(_batch, count - start);
        var width = _session.OutputWidth;
        var probabilities = ArrayPool<float>.Shared.Rent(n * width);
        try
        {
            var shape = new long[_itemShape.Length + 1];
            shape[0] = n;
            _itemShape.CopyTo(shape, 1);
            var batchInput = new ReadOnlySpan<float>((float*)input + (long)start * _itemLength, n * _itemLength);
            _session.Run(batchInput, shape, probabilities);
            var batchScores = new Span<float>((float*)scores + start, n);
            for (int i = 0, j = _classIndex; i < n; i++, j += width) batchScores[i] = probabilities[j];
        }
        finally { ArrayPool<float>.Shared.Return(probabilities); }
    }
}
