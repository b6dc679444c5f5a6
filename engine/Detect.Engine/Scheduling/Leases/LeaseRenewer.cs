using Detect.Engine.Storage;
using Microsoft.Extensions.Logging;

namespace Detect.Engine.Scheduling.Leases;

/// <summary>
/// Renews every lease this scheduler holds, every third of the lease time, from one timer (not one loop per
/// task): each renewal rewrites the lease with a later expiry. Releasing a lease deletes it.
/// </summary>
internal sealed class LeaseRenewer(IObjectStore store, TimeSpan ttl, TimeProvider time, ILogger logger) : IDisposable
{
    private readonly Dictionary<string, HeldLease> _held = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private ITimer? _timer;
    private int _renewing;
    private readonly List<Task> _releasing = [];

    public HeldLease Hold(string key, LeaseRecord record)
    {
        var lease = new HeldLease(this, key, record);
        lock (_lock)
        {
            _held[key] = lease;
            _timer ??= time.CreateTimer(_ => _ = RenewAllAsync(), null, ttl / 3, ttl / 3);
        }
        return lease;
    }

    internal async Task ReleaseAsync(HeldLease lease)
    {
        // Keep the timer while leases come and go quickly; it stops once nothing was held for a whole period.
        lock (_lock) _held.Remove(lease.Key);
        await lease.Gate.WaitAsync(); // a renewal in flight finishes first, so it cannot recreate the lease after this delete
        try
        {
            lease.Released = true;
            await store.ReleaseExclusiveAsync(lease.Key, CancellationToken.None);
        }
        catch (Exception e) { logger.LogWarning("could not release lease {Key}: {Error}", lease.Key, e.Message); }
        finally { lease.Gate.Release(); }
    }

    /// <summary>
    /// Releases the lease without waiting for the store: the task's outputs are published already, so nobody needs
    /// the release to be done before this process starts its next task (on S3 that saves a request's time per task).
    /// <see cref="ReleasesDoneAsync"/> waits for all of them.
    /// </summary>
    public void ReleaseLater(HeldLease lease)
    {
        var release = lease.DisposeAsync().AsTask();
        lock (_releasing)
        {
            _releasing.RemoveAll(t => t.IsCompleted);
            _releasing.Add(release);
        }
    }

    /// <summary>Waits until every lease released with <see cref="ReleaseLater"/> is gone from the store.</summary>
    public async Task ReleasesDoneAsync()
    {
        Task[] pending;
        lock (_releasing) pending = [.. _releasing];
        await Task.WhenAll(pending);
    }

    private async Task RenewAllAsync()
    {
        if (Interlocked.Exchange(ref _renewing, 1) == 1) return; // the previous round is still writing
        try
        {
            HeldLease[] held;
            lock (_lock)
            {
                held = [.. _held.Values];
                if (held.Length == 0)
                {
                    _timer?.Dispose();
                    _timer = null;
                    return;
                }
            }
            var scratch = Path.Combine(Path.GetTempPath(), "detect-lease-" + Guid.NewGuid().ToString("N"));
            try
            {
                foreach (var lease in held)
                {
                    await lease.Gate.WaitAsync();
                    try
                    {
                        if (lease.Released) continue;
                        var renewed = lease.Record with { ExpiresUtc = (time.GetUtcNow() + ttl).UtcDateTime };
                        await File.WriteAllBytesAsync(scratch, renewed.ToJson());
                        await store.PublishFileAsync(lease.Key, scratch);
                        lease.Record = renewed;
                    }
                    catch (Exception e) { logger.LogWarning("lease renewal for {Key} failed: {Error}", lease.Key, e.Message); }
                    finally { lease.Gate.Release(); }
                }
            }
            finally { File.Delete(scratch); }
        }
        finally { Volatile.Write(ref _renewing, 0); }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _timer?.Dispose();
            _timer = null;
        }
    }
}

/// <summary>A lease this process holds; released (deleted) on dispose.</summary>
internal sealed class HeldLease(LeaseRenewer renewer, string key, LeaseRecord record) : IAsyncDisposable
{
    private int _released;
    public string Key { get; } = key;
    public LeaseRecord Record { get; set; } = record;

    /// <summary>Serialises renewal and release of this lease.</summary>
    internal SemaphoreSlim Gate { get; } = new(1, 1);
    internal bool Released { get; set; }

    public ValueTask DisposeAsync() =>
        Interlocked.Exchange(ref _released, 1) == 0 ? new ValueTask(renewer.ReleaseAsync(this)) : ValueTask.CompletedTask;
}
