using Detect.Engine.Scheduling.Events;
using Detect.Engine.Scheduling.Planning;
using Microsoft.Extensions.Logging;

namespace Detect.Engine.Scheduling.Execution;

/// <summary>
/// Sharing a graph with other processes: a task whose lease another holds is set aside and asked for again with
/// backoff; once that happens, ready tasks are taken from a random point of the plan and waiting tasks' outputs are
/// swept for work the others finished.
/// </summary>
internal sealed partial class Dispatcher
{
    private long OrderOf(Entry entry) =>
        entry.Sequence < _rotationSpan ? (entry.Sequence + _rotationOffset) % _rotationSpan : entry.Sequence;

    private bool Sharing => _rotationSpan > 0;

    /// <summary>The first lease held elsewhere: from now on take ready tasks from a random point of the plan.</summary>
    private void StartSharingLocked()
    {
        if (Sharing || _sequence < 2) return;
        _rotationSpan = _sequence;
        _rotationOffset = Random.Shared.NextInt64(_rotationSpan);
        var ready = _ready.DrainAll().Where(e => e.State == EntryState.Ready).ToList();
        foreach (var entry in ready) _ready.Enqueue(entry, entry.Need, priority: 0, OrderOf(entry));
        _sweep = _services.Time.CreateTimer(_ => _ = SweepAsync(), null, _services.Options.LeasePoll / 4, _services.Options.LeasePoll);
    }

    /// <summary>
    /// While sharing: every <see cref="SchedulerOptions.LeasePoll"/>, look at the outputs of all tasks still waiting
    /// to start here (one listing per store folder) and count those another process finished as completed
    /// elsewhere — rather than asking for each one's lease when its turn comes.
    /// </summary>
    private async Task SweepAsync()
    {
        if (Interlocked.Exchange(ref _sweeping, 1) == 1) return;
        try
        {
            List<Entry> waiting;
            lock (_gate)
                waiting = _stopped ? [] : _entries.Values.Where(e => e.State is EntryState.Ready or EntryState.Deferred && e.Node.Outputs.Count > 0).ToList();
            if (waiting.Count == 0) return;
            var fresh = new ExistenceOracle(_services.Resolver);
            await fresh.CheckAsync(waiting.SelectMany(e => e.Node.Outputs), _ct);
            var done = waiting.Where(e => e.Node.Outputs.All(fresh.Exists)).ToList();
            var now = _services.Time.GetUtcNow();
            lock (_gate)
                foreach (var entry in waiting) entry.FoundMissing = now; // (done ones are finished below)
            if (done.Count == 0) return;
            lock (_gate)
                foreach (var entry in done.Where(e => e.State is EntryState.Ready or EntryState.Deferred))
                {
                    foreach (var output in entry.Node.Outputs) _run.Existence.Record(output, true);
                    _run.Completeness.MarkComplete(entry.Node);
                    FinishLocked(entry, Report(entry.Node, TaskOutcome.CompletedElsewhere, null));
                }
            Pump();
        }
        catch (Exception) when (_ct.IsCancellationRequested) { }
        catch (Exception e) { _services.Logger.LogDebug("checking for work done elsewhere failed: {Error}", e.Message); }
        finally { Volatile.Write(ref _sweeping, 0); }
    }

    // ---- leases held elsewhere: set aside, try again later ----

    private void DeferLocked(Entry entry, LeaseHolder holder)
    {
        if (_stopped) { FinishLocked(entry, Report(entry.Node, TaskOutcome.NotRun, "interrupted")); return; }
        entry.State = EntryState.Deferred;
        entry.Deferrals++;
        StartSharingLocked();
        if (entry.AnnouncedOwner != holder.Owner)
        {
            entry.AnnouncedOwner = holder.Owner;
            _run.Events.Publish((t, r) => new TaskWaitingForLease(t, r, entry.Node.Id, entry.Node.Task.Family, holder));
        }
        var now = _services.Time.GetUtcNow();
        var due = now + BackOff(entry.Deferrals);
        if (holder.Expires < due) due = holder.Expires + TimeSpan.FromMilliseconds(10);
        _deferred.Enqueue(entry, due);
        ArmTimerLocked(now);
    }

    /// <summary>
    /// A quarter of the lease poll interval, doubling per try, up to the interval. (A task the holder finishes is
    /// usually found by the sweep first; these tries are for holders that give up or die.)
    /// </summary>
    private TimeSpan BackOff(int tries)
    {
        var poll = _services.Options.LeasePoll;
        return TimeSpan.FromTicks(Math.Min(poll.Ticks, poll.Ticks / 4 * (1L << Math.Min(tries - 1, 2))));
    }

    private void ArmTimerLocked(DateTimeOffset now)
    {
        if (_stopped || !_deferred.TryPeek(out _, out var due) || due >= _timerDue) return;
        _timer?.Dispose();
        _timerDue = due;
        var wait = due - now;
        _timer = _services.Time.CreateTimer(_ => OnTimer(), null, wait < TimeSpan.Zero ? TimeSpan.Zero : wait, Timeout.InfiniteTimeSpan);
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            _timerDue = DateTimeOffset.MaxValue;
            var now = _services.Time.GetUtcNow();
            while (_deferred.TryPeek(out var entry, out var due) && due <= now)
            {
                _deferred.Dequeue();
                if (entry.State == EntryState.Deferred) MakeReadyLocked(entry);
            }
            ArmTimerLocked(now);
        }
        Pump();
    }
}
