using System.Text;
using System.Text.Json;
using Detect.Engine.Storage;
using Microsoft.Extensions.Logging;

namespace Detect.Engine.Scheduling;

/// <summary>
/// Keeps two processes on one store from running the same task at once: a lease object per running task,
/// created only if absent, renewed by a heartbeat and ignored once expired (a crashed holder). A process
/// that finds a live lease waits until the task's outputs appear or the lease expires.
/// Guarantee: as strong as the store's create-if-absent (atomic on local file systems and on S3 servers
/// that honour <c>If-None-Match: *</c>).
/// </summary>
internal sealed class TaskLeases(IObjectStore store, TimeSpan ttl, TimeSpan poll, ILogger logger)
{
    private IObjectStore Store => store;
    private TimeSpan Ttl => ttl;
    private ILogger Logger => logger;

    public const string Prefix = ".detect/leases/";
    private const string Unreadable = "(unreadable lease)";
    private readonly string _owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>
    /// Takes the lease for <paramref name="taskId"/>, or returns null when <paramref name="doneElsewhere"/>
    /// becomes true while another holder has it. <c>Waited</c> says another holder had it first.
    /// </summary>
    public async Task<(IAsyncDisposable? Lease, bool Waited)> AcquireAsync(string taskId, Func<CancellationToken, Task<bool>> doneElsewhere, CancellationToken ct)
    {
        var key = Prefix + taskId + ".json";
        var announced = false;
        DateTime? unreadableSince = null;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (await store.TryCreateExclusiveAsync(key, Content(), ct))
                return (new Held(this, key, ct), announced);
            var holder = await ReadAsync(key, ct);
            if (holder is null) continue; // released between our attempt and the read
            if (holder.Owner == Unreadable)
            {
                // Being written right now, or left half-written by a crash: give it one lease period.
                unreadableSince ??= DateTime.UtcNow;
                holder = holder with { ExpiresUtc = unreadableSince.Value + ttl };
            }
            if (holder.ExpiresUtc < DateTime.UtcNow)
            {
                logger.LogWarning("lease on {Task} held by {Owner} expired at {Expiry:O}; taking over", taskId, holder.Owner, holder.ExpiresUtc);
                await store.DeleteAsync(key, ct);
                continue;
            }
            if (!announced)
            {
                logger.LogInformation("{Task} is running in another process ({Owner}); waiting for it", taskId, holder.Owner);
                announced = true;
            }
            await Task.Delay(poll, ct);
            if (await doneElsewhere(ct)) return (null, true);
        }
    }

    private ReadOnlyMemory<byte> Content() => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new LeaseRecord(_owner, DateTime.UtcNow + ttl)));

    private async Task<LeaseRecord?> ReadAsync(string key, CancellationToken ct)
    {
        try
        {
            await using var stream = await store.OpenReadAsync(key, ct);
            return await JsonSerializer.DeserializeAsync<LeaseRecord>(stream, cancellationToken: ct);
        }
        catch (ObjectNotFoundException) { return null; }
        catch (JsonException) { return new LeaseRecord(Unreadable, DateTime.MinValue); }
    }

    private sealed record LeaseRecord(string Owner, DateTime ExpiresUtc);

    private sealed class Held : IAsyncDisposable
    {
        private readonly TaskLeases _leases;
        private readonly string _key;
        private readonly CancellationTokenSource _stop;
        private readonly Task _heartbeat;

        public Held(TaskLeases leases, string key, CancellationToken ct)
        {
            _leases = leases;
            _key = key;
            _stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            _heartbeat = Task.Run(() => BeatAsync(_stop.Token));
        }

        private async Task BeatAsync(CancellationToken ct)
        {
            var scratch = Path.Combine(Path.GetTempPath(), "detect-lease-" + Guid.NewGuid().ToString("N"));
            try
            {
                while (!ct.IsCancellationRequested)
                {
                    await Task.Delay(_leases.Ttl / 3, ct);
                    await File.WriteAllBytesAsync(scratch, _leases.Content().ToArray(), ct);
                    await _leases.Store.PublishFileAsync(_key, scratch, ct);
                }
            }
            catch (OperationCanceledException) { }
            catch (Exception e) { _leases.Logger.LogWarning("lease heartbeat for {Key} failed: {Error}", _key, e.Message); }
            finally { File.Delete(scratch); }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _heartbeat;
            _stop.Dispose();
            try { await _leases.Store.DeleteAsync(_key, CancellationToken.None); }
            catch (Exception e) { _leases.Logger.LogWarning("could not release lease {Key}: {Error}", _key, e.Message); }
        }
    }
}
