namespace Detect.Engine.Scheduling.Execution;

/// <summary>
/// Named resources with capacities (e.g. gpu: 1). A task gets all it declares at once or none, so two tasks
/// never each hold half of what they need. Resources without a configured limit have capacity 1. New work asks
/// without waiting (<see cref="TryAcquire"/>) and skips to other ready work; work resuming after a wait queues
/// (<see cref="AcquireAsync"/>) and is served first when resources are released.
/// </summary>
internal sealed class ResourcePool(IReadOnlyDictionary<string, int> limits)
{
    private readonly Dictionary<string, int> _inUse = new(StringComparer.Ordinal);
    private readonly LinkedList<(IReadOnlyDictionary<string, int> Need, TaskCompletionSource Granted)> _waiting = new();
    private readonly List<Action> _listeners = [];
    private readonly Lock _lock = new();

    public int Capacity(string name) => limits.TryGetValue(name, out var c) ? c : 1;

    /// <summary>Throws when <paramref name="need"/> can never be met (more than a resource's capacity).</summary>
    public void Validate(IReadOnlyDictionary<string, int> need)
    {
        foreach (var (name, amount) in need)
            if (amount > Capacity(name))
                throw new InvalidOperationException($"A task needs {amount} of resource '{name}' but only {Capacity(name)} exist (--resources {name}=N).");
    }

    /// <summary>Takes everything in <paramref name="need"/> now, or nothing (null).</summary>
    public IDisposable? TryAcquire(IReadOnlyDictionary<string, int> need)
    {
        if (need.Count == 0) return NoLease.Instance;
        lock (_lock)
        {
            if (_waiting.Count > 0 || !Fits(need)) return null;
            Take(need);
        }
        return new Lease(this, need);
    }

    public async Task<IDisposable> AcquireAsync(IReadOnlyDictionary<string, int> need, CancellationToken ct)
    {
        if (need.Count == 0) return NoLease.Instance;
        Validate(need);
        TaskCompletionSource granted;
        lock (_lock)
        {
            if (_waiting.Count == 0 && Fits(need)) { Take(need); return new Lease(this, need); }
            granted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.AddLast((need, granted));
        }
        using (ct.Register(() => Cancel(granted)))
            await granted.Task;
        return new Lease(this, need);
    }

    public void Subscribe(Action onReleased)
    {
        lock (_lock) _listeners.Add(onReleased);
    }

    public void Unsubscribe(Action onReleased)
    {
        lock (_lock) _listeners.Remove(onReleased);
    }

    private void Cancel(TaskCompletionSource granted)
    {
        lock (_lock)
        {
            for (var n = _waiting.First; n is not null; n = n.Next)
                if (n.Value.Granted == granted) { _waiting.Remove(n); granted.TrySetCanceled(); return; }
        }
    }

    private bool Fits(IReadOnlyDictionary<string, int> need) =>
        need.All(kv => _inUse.GetValueOrDefault(kv.Key) + kv.Value <= Capacity(kv.Key));

    private void Take(IReadOnlyDictionary<string, int> need)
    {
        foreach (var (name, amount) in need) _inUse[name] = _inUse.GetValueOrDefault(name) + amount;
    }

    private void Release(IReadOnlyDictionary<string, int> need)
    {
        Action[] listeners;
        lock (_lock)
        {
            foreach (var (name, amount) in need) _inUse[name] -= amount;
            for (var n = _waiting.First; n is not null;)
            {
                var next = n.Next;
                if (Fits(n.Value.Need))
                {
                    Take(n.Value.Need);
                    _waiting.Remove(n);
                    n.Value.Granted.TrySetResult();
                }
                n = next;
            }
            listeners = [.. _listeners];
        }
        foreach (var listener in listeners) listener();
    }

    private sealed class Lease(ResourcePool pool, IReadOnlyDictionary<string, int> need) : IDisposable
    {
        private int _released;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) pool.Release(need);
        }
    }

    private sealed class NoLease : IDisposable
    {
        public static readonly NoLease Instance = new();
        public void Dispose() { }
    }
}
