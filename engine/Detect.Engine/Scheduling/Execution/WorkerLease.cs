namespace Detect.Engine.Scheduling.Execution;

/// <summary>
/// The worker slot and resources one task's execution holds. It gives both up while the task waits (for dynamic
/// dependencies, or a retry's backoff), so other work runs meanwhile, and takes them back before it goes on.
/// </summary>
internal sealed class WorkerLease(WorkerSlots slots, ResourcePool resources, IReadOnlyDictionary<string, int> need, IDisposable heldResources)
{
    private IDisposable? _resources = heldResources;
    private bool _slot = true;

    public bool Held => _slot;

    public void Release()
    {
        if (!_slot) return;
        _slot = false;
        var held = _resources;
        _resources = null;
        held?.Dispose();
        slots.Release();
    }

    public async Task ReacquireAsync(CancellationToken ct)
    {
        if (_slot) return;
        // Resources first: waiting for them while holding a slot would keep a worker idle.
        var taken = await resources.AcquireAsync(need, ct);
        try { await slots.TakeForResumeAsync(ct); }
        catch
        {
            taken.Dispose();
            throw;
        }
        _resources = taken;
        _slot = true;
    }
}
