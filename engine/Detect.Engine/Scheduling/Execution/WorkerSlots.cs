namespace Detect.Engine.Scheduling.Execution;

/// <summary>
/// The <see cref="SchedulerOptions.Workers"/> slots of one scheduler, shared by every run it executes. New work
/// takes a free slot without waiting (<see cref="TryTake"/>); work that gave its slot up while it waited (dynamic
/// dependencies, a retry's backoff) gets one back first (<see cref="TakeForResumeAsync"/>), so started tasks
/// finish before new ones begin. Whoever waits for a free slot to start work subscribes to <see cref="Subscribe"/>.
/// </summary>
internal sealed class WorkerSlots(int capacity)
{
    private readonly Lock _lock = new();
    private readonly LinkedList<TaskCompletionSource> _resumers = new();
    private readonly List<Action> _listeners = [];
    private int _free = Math.Max(1, capacity);

    public int Capacity { get; } = Math.Max(1, capacity);

    public bool TryTake()
    {
        lock (_lock)
        {
            if (_resumers.Count > 0 || _free == 0) return false;
            _free--;
            return true;
        }
    }

    /// <summary>Gives back a slot taken by <see cref="TryTake"/> that was not used, without waking anyone.</summary>
    public void Return()
    {
        lock (_lock) _free++;
    }

    public async Task TakeForResumeAsync(CancellationToken ct)
    {
        TaskCompletionSource waiter;
        LinkedListNode<TaskCompletionSource> node;
        lock (_lock)
        {
            if (_free > 0) { _free--; return; }
            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            node = _resumers.AddLast(waiter);
        }
        await using var registration = ct.Register(() =>
        {
            lock (_lock)
            {
                if (node.List is null) return; // granted already: the slot is ours
                _resumers.Remove(node);
            }
            waiter.TrySetCanceled(ct);
        });
        await waiter.Task;
    }

    /// <summary>Frees a slot: handed to a resuming task if one waits, else announced to <see cref="Subscribe"/> listeners.</summary>
    public void Release()
    {
        TaskCompletionSource? handOver = null;
        Action[] listeners;
        lock (_lock)
        {
            if (_resumers.First is { } first)
            {
                _resumers.RemoveFirst();
                handOver = first.Value;
            }
            else _free++;
            listeners = handOver is null ? [.. _listeners] : [];
        }
        handOver?.TrySetResult();
        foreach (var listener in listeners) listener();
    }

    public void Subscribe(Action onFreed)
    {
        lock (_lock) _listeners.Add(onFreed);
    }

    public void Unsubscribe(Action onFreed)
    {
        lock (_lock) _listeners.Remove(onFreed);
    }
}
