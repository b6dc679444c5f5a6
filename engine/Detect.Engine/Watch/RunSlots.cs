namespace Detect.Engine.Watch;

/// <summary>
/// At most N rows run at once over all the triggers a watcher holds; the watcher claims another trigger only when
/// a slot is free and no row waits for one (so other watchers get the triggers this one has no room for).
/// </summary>
internal sealed class RunSlots(int capacity)
{
    private readonly Lock _lock = new();
    private readonly Queue<TaskCompletionSource> _waiting = new();
    private readonly List<TaskCompletionSource> _roomWaiters = [];
    private int _inUse;

    public async Task EnterAsync(CancellationToken ct)
    {
        TaskCompletionSource waiter;
        lock (_lock)
        {
            if (_inUse < capacity && _waiting.Count == 0)
            {
                _inUse++;
                return;
            }
            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Enqueue(waiter);
        }
        await using (ct.Register(() => { if (waiter.TrySetCanceled(ct)) Exit(cancelled: true); }))
            await waiter.Task;
    }

    public void Exit() => Exit(cancelled: false);

    private void Exit(bool cancelled)
    {
        List<TaskCompletionSource> room = [];
        lock (_lock)
        {
            // A cancelled waiter took no slot; the slot of a finished row passes to the next live waiter.
            if (!cancelled) _inUse--;
            while (_inUse < capacity && _waiting.TryDequeue(out var next))
            {
                if (next.Task.IsCanceled) continue;
                _inUse++;
                next.TrySetResult();
            }
            if (_inUse < capacity && _waiting.All(w => w.Task.IsCanceled)) { room.AddRange(_roomWaiters); _roomWaiters.Clear(); }
        }
        foreach (var r in room) r.TrySetResult();
    }

    /// <summary>Completes when a slot is free and no row waits: room to claim another trigger.</summary>
    public Task WhenRoomAsync(CancellationToken ct)
    {
        lock (_lock)
        {
            if (_inUse < capacity && _waiting.All(w => w.Task.IsCanceled)) return Task.CompletedTask;
            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _roomWaiters.Add(waiter);
            return waiter.Task.WaitAsync(ct);
        }
    }
}
