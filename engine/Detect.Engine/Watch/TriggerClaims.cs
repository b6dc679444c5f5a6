using Detect.Engine.Storage;
using Microsoft.Extensions.Logging;

namespace Detect.Engine.Watch;

/// <summary>
/// Claims on triggers, so that two watchers (two machines) never process one trigger at once: a claim object
/// <c>.detect-watch/claims/&lt;stem&gt;.json</c> beside the triggers, made with the store's create-if-absent (S3
/// <c>If-None-Match: *</c>), renewed every third of its time to live and deleted when the trigger is done. A claim
/// not renewed in time belongs to a dead watcher: another deletes it and claims the trigger itself, then reads the
/// claim back after a moment, so that of two watchers taking over at once only the one whose claim stayed goes on.
/// The guarantee is as strong as the store's create-if-absent (see the README's S3 section).
/// </summary>
public sealed class TriggerClaims(IObjectStore store, TimeSpan ttl, TimeProvider time, ILogger logger)
{
    public const string Prefix = ".detect-watch/claims/";
    private static readonly string Host = Environment.MachineName;
    private readonly IObjectStore _store = store;
    private readonly TimeSpan _ttl = ttl;
    private readonly TimeProvider _time = time;
    private readonly ILogger _logger = logger;

    /// <summary>This watcher: host, pid and a nonce.</summary>
    public string Owner { get; } = $"{Host}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    public TimeSpan Ttl => _ttl;

    public static string KeyOf(string stem) => Prefix + stem + ".json";

    /// <summary>The stem of a claim key, or null for another key.</summary>
    public static string? StemOfClaim(string key) =>
        key.StartsWith(Prefix, StringComparison.Ordinal) && key.EndsWith(".json", StringComparison.Ordinal) ? key[Prefix.Length..^5] : null;

    /// <summary>Who holds the claim on <paramref name="stem"/> now (null: nobody, or unreadable).</summary>
    public async Task<ClaimRecord?> ReadAsync(string stem, CancellationToken ct) =>
        await StoreBytes.ReadAsync(_store, KeyOf(stem), ct) is { } bytes ? ClaimRecord.Parse(bytes) : null;

    /// <summary>
    /// Claims <paramref name="stem"/>, taking over an expired claim; null when another watcher holds it
    /// (<c>HeldUntil</c> then says until when, if known).
    /// </summary>
    public async Task<(Claim? Claim, DateTimeOffset? HeldUntil)> TryClaimAsync(string stem, string triggerUri, CancellationToken ct)
    {
        var key = KeyOf(stem);
        var record = NewRecord(triggerUri);
        if (await _store.TryCreateExclusiveAsync(key, record.ToJson(), ct)) return (Hold(key, record), null);

        var holder = await ReadAsync(stem, ct);
        var now = _time.GetUtcNow();
        // An unreadable claim is being written right now, or was left half-written by a crash: treat it as fresh.
        if (holder is null || holder.Expires >= now) return (null, holder?.Expires ?? now + _ttl);

        _logger.LogWarning("claim on {Trigger} by {Owner} expired at {Expiry:O} (a watcher that stopped); taking it over", triggerUri, holder.Owner, holder.Expires);
        await _store.DeleteAsync(key, ct);
        record = NewRecord(triggerUri);
        if (!await _store.TryCreateExclusiveAsync(key, record.ToJson(), ct)) return (null, now + _ttl);
        // Another watcher may have deleted the same expired claim and made its own just before ours, then deleted
        // ours: look again after a moment. Only the watcher whose claim is there goes on.
        await Task.Delay(TimeSpan.FromTicks(Math.Min(_ttl.Ticks / 10, TimeSpan.FromSeconds(1).Ticks)), _time, ct);
        if ((await ReadAsync(stem, ct))?.Owner != Owner) return (null, now + _ttl);
        return (Hold(key, record), null);
    }

    private ClaimRecord NewRecord(string triggerUri)
    {
        var now = _time.GetUtcNow();
        return new ClaimRecord(Owner, Host, Environment.ProcessId, triggerUri, now, now + _ttl);
    }

    private Claim Hold(string key, ClaimRecord record) => new(this, key, record);

    /// <summary>A claim this watcher holds: renewed on a timer until released.</summary>
    public sealed class Claim : IAsyncDisposable
    {
        private readonly TriggerClaims _owner;
        private readonly ITimer _timer;
        private readonly SemaphoreSlim _gate = new(1, 1);
        private ClaimRecord _record;
        private bool _released;

        internal Claim(TriggerClaims owner, string key, ClaimRecord record)
        {
            _owner = owner;
            Key = key;
            _record = record;
            _timer = owner._time.CreateTimer(_ => _ = RenewAsync(), null, owner._ttl / 3, owner._ttl / 3);
        }

        public string Key { get; }

        private async Task RenewAsync()
        {
            if (!await _gate.WaitAsync(0)) return; // the previous renewal is still writing
            try
            {
                if (_released) return;
                var renewed = _record with { Expires = _owner._time.GetUtcNow() + _owner._ttl };
                await StoreBytes.WriteAsync(_owner._store, Key, renewed.ToJson(), CancellationToken.None);
                _record = renewed;
            }
            catch (Exception e) { _owner._logger.LogWarning("renewing the claim {Key} failed: {Error}", Key, e.Message); }
            finally { _gate.Release(); }
        }

        /// <summary>Deletes the claim (a renewal in flight finishes first, so it cannot recreate it).</summary>
        public async ValueTask DisposeAsync()
        {
            await _timer.DisposeAsync();
            await _gate.WaitAsync();
            try
            {
                if (_released) return;
                _released = true;
                await _owner._store.DeleteAsync(Key, CancellationToken.None);
            }
            catch (Exception e) { _owner._logger.LogWarning("could not release the claim {Key}: {Error} (it expires by itself)", Key, e.Message); }
            finally { _gate.Release(); }
        }
    }
}
