namespace Detect.Tasks.Inference;

/// <summary>
/// The process's CPU threads for ONNX Runtime: every CPU run holds as many slots as its session has intra-op
/// threads, and at most <see cref="Capacity"/> (the core count) are held at once. So inference tasks that run side
/// by side (<c>--workers N</c>) share the cores instead of each starting a thread per core: ORT threads running
/// ≤ cores, whatever the number of workers. Fair: a waiting run is served before later ones, so a many-thread run
/// is never starved by single-thread batches.
/// </summary>
internal static class CpuThreadBudget
{
    private static readonly object Gate = new();
    private static readonly LinkedList<int> Waiting = new();
    private static int _inUse;

    public static int Capacity { get; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>Slots held right now (for tests and diagnostics).</summary>
    public static int InUse { get { lock (Gate) return _inUse; } }

    /// <summary>The most slots ever held at once in this process (for tests).</summary>
    public static int Peak { get; private set; }

    /// <summary>Blocks until <paramref name="threads"/> slots (at most <see cref="Capacity"/>) are free and takes them.</summary>
    public static Lease Acquire(int threads)
    {
        var n = Math.Clamp(threads, 1, Capacity);
        lock (Gate)
        {
            if (Waiting.Count > 0 || _inUse + n > Capacity)
            {
                var me = Waiting.AddLast(n);
                while (Waiting.First != me || _inUse + n > Capacity) Monitor.Wait(Gate);
                Waiting.RemoveFirst();
                Monitor.PulseAll(Gate); // the next in line may fit too
            }
            _inUse += n;
            Peak = Math.Max(Peak, _inUse);
        }
        return new Lease(n);
    }

    private static void Release(int n)
    {
        lock (Gate)
        {
            _inUse -= n;
            Monitor.PulseAll(Gate);
        }
    }

    public readonly struct Lease(int slots) : IDisposable
    {
        public int Slots => slots;
        public void Dispose() { if (slots > 0) Release(slots); }
    }
}
