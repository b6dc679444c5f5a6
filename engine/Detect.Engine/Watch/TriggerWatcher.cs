using Detect.Engine.Storage;
using Microsoft.Extensions.Logging;

namespace Detect.Engine.Watch;

/// <summary>What a watcher did before it stopped.</summary>
public sealed record WatchReport(IReadOnlyList<TriggerOutcome> Triggers, bool Interrupted, string? PollError = null)
{
    public int FailedRows => Triggers.Sum(t => t.Failed);
    public bool AllProcessed => Triggers.All(t => t.Processed);
}

/// <summary>
/// Polls a prefix for triggers and processes each once, whichever watcher gets it. Each poll is one listing of the
/// prefix (triggers, processing files, results and claims are all in it; no per-object HEADs); between polls it
/// sleeps per <see cref="PollBackoff"/> on the injected <see cref="TimeProvider"/>. For each trigger it sees (and
/// each processing file whose claim is gone or expired: a watcher that stopped), while it has a free run slot, it
/// claims it (<see cref="TriggerClaims"/>), renames it to its processing file (copy + delete: S3 has no rename) and
/// runs its rows (<see cref="TriggerJob"/>). Stopping (the token: SIGTERM) ends polling, cancels the running rows'
/// attempts (the scheduler releases their leases) and releases the claims; a processing file left behind is
/// resumed by the next watcher.
/// </summary>
public sealed class TriggerWatcher
{
    private readonly IObjectStore _triggers;
    private readonly WatcherSettings _settings;
    private readonly TriggerNames _names;
    private readonly TriggerClaims _claims;
    private readonly RowTasks _tasks;
    private readonly RowRunner _runner;
    private readonly RunSlots _slots;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HashSet<string> _active = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _heldElsewhereUntil = new(StringComparer.Ordinal);

    public TriggerWatcher(IObjectStore triggers, RowTasks tasks, RowRunner runner, WatcherSettings settings, TimeProvider? time = null, ILogger? logger = null)
    {
        settings.Validate();
        _triggers = triggers;
        _settings = settings;
        _tasks = tasks;
        _runner = runner;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        _names = new TriggerNames(settings.Pattern);
        _claims = new TriggerClaims(triggers, settings.ClaimTtl, _time, _logger);
        _slots = new RunSlots(settings.MaxConcurrentRuns);
    }

    /// <summary>The number of listings made so far (one per poll).</summary>
    public int Polls { get; private set; }

    /// <summary>When the watcher, now asleep, polls next (set once its timer runs).</summary>
    public DateTimeOffset? NextPoll { get; private set; }

    public async Task<WatchReport> RunAsync(CancellationToken stop)
    {
        var backoff = new PollBackoff(_settings.MinInterval, _settings.Interval);
        var jobs = new List<Task<TriggerOutcome>>();
        var finished = new List<TriggerOutcome>(); // of jobs done, so a long-lived watcher keeps no finished tasks
        string? pollError = null;
        _logger.LogInformation("watching {Prefix} for {Pattern} ({Mode})", _triggers.Uri, _settings.Pattern,
            _settings.Once ? "one poll" : $"polls every {_settings.MinInterval.TotalSeconds:0.#}s, backing off to {_settings.Interval.TotalSeconds:0.#}s when idle");
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await _slots.WhenRoomAsync(stop);
                var started = 0;
                try
                {
                    foreach (var candidate in Candidates(await PollAsync(stop)))
                    {
                        await _slots.WhenRoomAsync(stop);
                        if (await TryStartAsync(candidate, stop) is { } job)
                        {
                            finished.AddRange(jobs.Where(j => j.IsCompleted).Select(j => j.Result));
                            jobs.RemoveAll(j => j.IsCompleted);
                            jobs.Add(job);
                            started++;
                        }
                    }
                }
                catch (Exception e) when (e is StoreException or IOException)
                {
                    if (_settings.Once)
                    {
                        pollError = e.Message;
                        _logger.LogError("polling {Prefix} failed: {Error}", _triggers.Uri, e.Message);
                        break;
                    }
                    _logger.LogWarning("polling {Prefix} failed: {Error}; trying again later", _triggers.Uri, e.Message);
                }
                if (_settings.Once) break;
                var sleep = started > 0 ? backoff.Busy() : backoff.Idle();
                _logger.LogDebug("next poll of {Prefix} in {Seconds:0.#}s", _triggers.Uri, sleep.TotalSeconds);
                var delay = Task.Delay(sleep, _time, stop);
                NextPoll = _time.GetUtcNow() + sleep;
                await delay;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
        finished.AddRange(await Task.WhenAll(jobs));
        var interrupted = stop.IsCancellationRequested;
        if (interrupted) _logger.LogWarning("stopped watching {Prefix}", _triggers.Uri);
        return new WatchReport(finished, interrupted, pollError);
    }

    private async Task<IReadOnlyList<string>> PollAsync(CancellationToken ct)
    {
        Polls++;
        return await _triggers.ListAsync("", ct);
    }

    /// <summary>A trigger to claim: a new one, or a processing file to resume (with the result files its claim's ts already has).</summary>
    private sealed record Candidate(string Stem, string Key, string? Stamp, bool ResultsWritten, string? SameStemTrigger = null);

    /// <summary>
    /// Per stem one candidate, in name order: a processing file first (resume the oldest), else the trigger. Stems
    /// this watcher works on, or whose claim another holds (until it would expire), are left out.
    /// </summary>
    private List<Candidate> Candidates(IReadOnlyList<string> keys)
    {
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        var processing = new SortedDictionary<string, string>(StringComparer.Ordinal); // stem -> oldest stamp
        var results = new HashSet<(string, string, string)>();
        var fresh = new SortedDictionary<string, string>(StringComparer.Ordinal);        // stem -> key
        foreach (var key in keys)
        {
            if (TriggerClaims.StemOfClaim(key) is { } claimStem) { claimed.Add(claimStem); continue; }
            if (TriggerNames.Derived(key) is { } d)
            {
                if (d.Kind == TriggerNames.Processing)
                {
                    if (!processing.TryGetValue(d.Stem, out var s) || string.CompareOrdinal(d.Stamp, s) < 0) processing[d.Stem] = d.Stamp;
                }
                else results.Add((d.Stem, d.Kind, d.Stamp));
                continue;
            }
            if (_names.IsTrigger(key)) fresh.TryAdd(TriggerNames.StemOf(key), key);
        }
        var now = _time.GetUtcNow();
        var candidates = new List<Candidate>();
        foreach (var stem in processing.Keys.Concat(fresh.Keys).Distinct())
        {
            lock (_active) if (_active.Contains(stem)) continue;
            if (!claimed.Contains(stem)) _heldElsewhereUntil.Remove(stem);
            else if (_heldElsewhereUntil.TryGetValue(stem, out var until) && until >= now) continue; // no need to read its claim again yet
            if (processing.TryGetValue(stem, out var stamp))
                candidates.Add(new Candidate(stem, TriggerNames.FileOf(stem, TriggerNames.Processing, stamp), stamp,
                    results.Contains((stem, TriggerNames.Success, stamp)) && results.Contains((stem, TriggerNames.Failure, stamp)),
                    fresh.GetValueOrDefault(stem)));
            else candidates.Add(new Candidate(stem, fresh[stem], null, false));
        }
        return candidates;
    }

    /// <summary>Claims the candidate and starts its job; null when another watcher has it or it is gone.</summary>
    private async Task<Task<TriggerOutcome>?> TryStartAsync(Candidate c, CancellationToken stop)
    {
        var triggerUri = _triggers.UriOf(c.Stamp is null ? c.Key : _names.TriggerKeyOf(c.Stem));
        var (claim, heldUntil) = await _claims.TryClaimAsync(c.Stem, triggerUri, stop);
        if (claim is null)
        {
            if (heldUntil is { } until) _heldElsewhereUntil[c.Stem] = until;
            return null;
        }
        lock (_active) _active.Add(c.Stem);
        try
        {
            string stamp;
            byte[] content;
            if (c.Stamp is { } resumed)
            {
                stamp = resumed;
                if (c.ResultsWritten)
                {
                    // The watcher before us wrote the results and stopped before deleting the processing file.
                    await _triggers.DeleteAsync(c.Key, stop);
                    await claim.DisposeAsync();
                    Done(c.Stem);
                    return null;
                }
                if (await StoreBytes.ReadAsync(_triggers, c.Key, stop) is not { } bytes) { await ReleaseAsync(claim, c.Stem); return null; }
                content = bytes;
                _logger.LogInformation("resuming {Trigger} ({Processing}): its claim was released or expired", triggerUri, _triggers.UriOf(c.Key));
                await DeleteLeftoverAsync(c.SameStemTrigger, content, stop);
            }
            else
            {
                // Between our listing and our claim another watcher may have processed it whole: read it again.
                if (await StoreBytes.ReadAsync(_triggers, c.Key, stop) is not { } bytes) { await ReleaseAsync(claim, c.Stem); return null; }
                content = bytes;
                stamp = TriggerNames.Stamp(_time.GetUtcNow());
                var processingKey = TriggerNames.FileOf(c.Stem, TriggerNames.Processing, stamp);
                await StoreBytes.WriteAsync(_triggers, processingKey, content, stop);
                await _triggers.DeleteAsync(c.Key, stop);
                _logger.LogInformation("claimed {Trigger} → {Processing}", triggerUri, _triggers.UriOf(processingKey));
            }
            var job = new TriggerJob(_triggers, _tasks, _runner, _slots, _logger);
            return RunJobAsync(job, claim, triggerUri, c.Stem, stamp, content, stop);
        }
        catch
        {
            await ReleaseAsync(claim, c.Stem);
            throw;
        }
    }

    /// <summary>
    /// A watcher that died between the copy and the delete of its rename leaves the trigger beside its processing
    /// file: the same bytes are that leftover (deleted, or it would run twice); other bytes are a new upload of
    /// the same name, processed after this one.
    /// </summary>
    private async Task DeleteLeftoverAsync(string? triggerKey, byte[] processing, CancellationToken ct)
    {
        if (triggerKey is null || await StoreBytes.ReadAsync(_triggers, triggerKey, ct) is not { } bytes || !bytes.AsSpan().SequenceEqual(processing)) return;
        await _triggers.DeleteAsync(triggerKey, ct);
        _logger.LogInformation("deleted {Trigger}: the rest of an interrupted rename to its processing file", _triggers.UriOf(triggerKey));
    }

    private async Task<TriggerOutcome> RunJobAsync(TriggerJob job, TriggerClaims.Claim claim, string triggerUri, string stem, string stamp, byte[] content, CancellationToken stop)
    {
        try { return await job.RunAsync(claim, triggerUri, stem, stamp, content, stop); }
        catch (OperationCanceledException) when (stop.IsCancellationRequested) { return new TriggerOutcome(triggerUri, false, 0, 0); }
        catch (Exception e)
        {
            // Not expected (rows and result writing report their own failures): keep the other triggers going.
            _logger.LogError("{Trigger}: {Error}; it stays in processing for the next watcher", triggerUri, e.Message);
            return new TriggerOutcome(triggerUri, false, 0, 0, e.Message);
        }
        finally { Done(stem); }
    }

    private async Task ReleaseAsync(TriggerClaims.Claim claim, string stem)
    {
        await claim.DisposeAsync();
        Done(stem);
    }

    private void Done(string stem)
    {
        lock (_active) _active.Remove(stem);
    }
}
