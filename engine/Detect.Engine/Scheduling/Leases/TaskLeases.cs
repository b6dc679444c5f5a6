using Detect.Engine.Scheduling.Events;
using Detect.Engine.Storage;
using Microsoft.Extensions.Logging;

namespace Detect.Engine.Scheduling.Leases;

/// <summary>
/// Keeps two processes on one store from running the same task at once: a lease object per running task,
/// created only if absent, renewed by the <see cref="LeaseRenewer"/> and ignored once expired (a crashed holder).
/// A lease held elsewhere is reported, not waited for: the scheduler does other ready work and asks again later.
/// Guarantee: as strong as the store's create-if-absent (atomic on local file systems and on S3 servers that
/// honour <c>If-None-Match: *</c>).
/// </summary>
internal sealed class TaskLeases
{
    public const string Prefix = ".detect/leases/";
    private static readonly string Host = Environment.MachineName; // a system call each time it is read

    private readonly IObjectStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, DateTimeOffset> _unreadableSince = new(StringComparer.Ordinal);

    public TaskLeases(IObjectStore store, TimeSpan ttl, TimeProvider time, ILogger logger)
    {
        _store = store;
        Ttl = ttl;
        _time = time;
        _logger = logger;
        Renewer = new LeaseRenewer(store, ttl, time, logger);
    }

    public TimeSpan Ttl { get; }
    public LeaseRenewer Renewer { get; }

    /// <summary>This process's owner name: host, pid and a nonce (two schedulers in one process are two owners).</summary>
    public string Owner { get; } = $"{Host}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    public static string KeyOf(string taskId) => Prefix + taskId + ".json";

    /// <summary>Takes the lease, or says who holds it. An expired lease is taken over (<see cref="LeaseAttempt.TookOver"/>).</summary>
    public async Task<LeaseAttempt> TryAcquireAsync(string taskId, string runId, CancellationToken ct)
    {
        var key = KeyOf(taskId);
        var tookOver = false;
        for (var round = 0; ; round++)
        {
            ct.ThrowIfCancellationRequested();
            var now = _time.GetUtcNow();
            var record = new LeaseRecord(Owner, (now + Ttl).UtcDateTime, Host, Environment.ProcessId, runId, now.UtcDateTime);
            if (await _store.TryCreateExclusiveAsync(key, record.ToJson(), ct))
            {
                lock (_unreadableSince) _unreadableSince.Remove(key);
                return new LeaseAttempt(Renewer.Hold(key, record), null, tookOver);
            }
            var holder = await ReadAsync(key, ct);
            if (holder is null)
            {
                // Released between our attempt and the read; after a few such races, report it as held for now.
                if (round < 3) continue;
                return new LeaseAttempt(null, new LeaseHolder("(changing hands)", null, null, null, null, now + Ttl), false);
            }
            if (holder.Owner == LeaseRecord.Unreadable)
            {
                // Being written right now, or left half-written by a crash: give it one lease period.
                DateTimeOffset since;
                lock (_unreadableSince)
                    if (!_unreadableSince.TryGetValue(key, out since)) _unreadableSince[key] = since = now;
                holder = holder with { ExpiresUtc = (since + Ttl).UtcDateTime };
            }
            if (holder.ExpiresUtc < now.UtcDateTime)
            {
                _logger.LogWarning("lease on {Task} held by {Owner} expired at {Expiry:O}; taking over", taskId, holder.Owner, holder.ExpiresUtc);
                await _store.DeleteAsync(key, ct);
                tookOver = true;
                continue;
            }
            return new LeaseAttempt(null, holder.ToHolder(), false);
        }
    }

    /// <summary>Every lease in <paramref name="store"/> now (the running tasks of every process), by task id.</summary>
    public static async Task<IReadOnlyDictionary<string, LeaseHolder>> ListAsync(IObjectStore store, CancellationToken ct)
    {
        var result = new Dictionary<string, LeaseHolder>(StringComparer.Ordinal);
        foreach (var key in await store.ListAsync(Prefix, ct))
        {
            if (!key.EndsWith(".json", StringComparison.Ordinal)) continue;
            if (await ReadAsync(store, key, ct) is { } record && record.Owner != LeaseRecord.Unreadable)
                result[key[Prefix.Length..^".json".Length]] = record.ToHolder();
        }
        return result;
    }

    private Task<LeaseRecord?> ReadAsync(string key, CancellationToken ct) => ReadAsync(_store, key, ct);

    private static async Task<LeaseRecord?> ReadAsync(IObjectStore store, string key, CancellationToken ct)
    {
        try
        {
            await using var stream = await store.OpenReadAsync(key, ct);
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, ct);
            return LeaseRecord.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        }
        catch (ObjectNotFoundException) { return null; }
    }
}

/// <summary>The outcome of asking for a lease: held by us (<see cref="Lease"/>) or by someone else (<see cref="Holder"/>).</summary>
internal sealed record LeaseAttempt(HeldLease? Lease, LeaseHolder? Holder, bool TookOver);
