using Detect.Engine.Scheduling.Events;
using Detect.Engine.Scheduling.Planning;
using Microsoft.Extensions.Logging;

namespace Detect.Engine.Scheduling.Execution;

/// <summary>
/// Runs one run's incomplete tasks: each waits until the tasks it requires are done, then joins the ready queue;
/// ready tasks start while worker slots and their resources allow; a failure finishes everything downstream of it
/// as upstream-failed while independent branches go on. A task whose lease another process holds is set aside and
/// tried again later (backing off up to <see cref="SchedulerOptions.LeasePoll"/>, from a timer — no busy polling),
/// so this process does other ready work meanwhile: several processes on one store share the work.
/// All state changes happen under one lock; tasks run outside it.
/// </summary>
internal sealed class Dispatcher : IDisposable
{
    private readonly SchedulerServices _services;
    private readonly RunState _run;
    private readonly TaskExecution _execution;
    private readonly CancellationToken _ct;
    private readonly CancellationTokenRegistration _onCancel;
    private readonly Lock _gate = new();
    private readonly Dictionary<TaskNode, Entry> _entries = new();
    private readonly List<Entry> _finished = [];
    private readonly ReadyQueue<Entry> _ready = new();
    private readonly PriorityQueue<Entry, DateTimeOffset> _deferred = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action _onFreed;
    private ITimer? _timer;
    private DateTimeOffset _timerDue = DateTimeOffset.MaxValue;
    private int _outstanding;
    private long _sequence;
    private bool _stopped;
    private bool _planning; // registering the run's plan (EnsureAll), not tasks asked for at run time
    // Once another process is seen working on this graph, ready tasks are taken from a random point of the plan
    // on: processes that all walk the plan in one order would contend for the same task at every step.
    private long _rotationSpan, _rotationOffset;
    private ITimer? _sweep;
    private int _sweeping;

    /// <summary>How deep tasks may be started inline on one thread before the rest go through the thread pool.</summary>
    private const int MaxInlineStarts = 4;
    [ThreadStatic] private static int _inlineStarts;

    public Dispatcher(SchedulerServices services, RunState run, CancellationToken ct)
    {
        _services = services;
        _run = run;
        _execution = new TaskExecution(services, run, new AttemptRunner(services, run));
        _ct = ct;
        _onFreed = Pump;
        services.Slots.Subscribe(_onFreed);
        services.Resources.Subscribe(_onFreed);
        _onCancel = ct.Register(Stop);
    }

    /// <summary>Every task this dispatcher finished, in the order they finished.</summary>
    public IReadOnlyList<TaskReport> Reports
    {
        get { lock (_gate) return _finished.Select(e => e.Report!).ToList(); }
    }

    public bool Handled(TaskNode node)
    {
        lock (_gate) return _entries.ContainsKey(node);
    }

    /// <summary>Makes sure <paramref name="node"/> (and what it needs) runs if incomplete; completes with its report.</summary>
    public Task<TaskReport> Ensure(TaskNode node)
    {
        Entry entry;
        lock (_gate)
        {
            _outstanding++; // so that a task finishing during registration does not look like the end
            entry = RegisterLocked(node);
            Settle();
        }
        Pump();
        return entry.Done.Task;
    }

    public void EnsureAll(IEnumerable<TaskNode> nodes)
    {
        lock (_gate)
        {
            _outstanding++;
            _planning = true;
            foreach (var node in nodes) RegisterLocked(node);
            _planning = false;
            Settle();
        }
        Pump();
    }

    private void Settle()
    {
        if (--_outstanding == 0) _drained.TrySetResult();
    }

    /// <summary>Completes when every task handed to this dispatcher (and every task they needed) is finished.</summary>
    public Task WhenDrained()
    {
        lock (_gate) return _outstanding == 0 ? Task.CompletedTask : _drained.Task;
    }

    // ---- registration: which tasks wait for which ----

    private Entry RegisterLocked(TaskNode start)
    {
        if (_entries.TryGetValue(start, out var known)) return known;
        var created = new List<Entry>();
        var pending = new Stack<TaskNode>();
        var first = Create(start, created);
        pending.Push(start);
        // Discover the incomplete tasks this one needs (iteratively: graphs may be deep).
        while (pending.TryPop(out var node))
        {
            if (!FollowsRequirements(node)) continue;
            foreach (var dependency in node.Requires)
            {
                if (_entries.ContainsKey(dependency) || _run.Completeness.IsComplete(dependency)) continue;
                Create(dependency, created);
                pending.Push(dependency);
            }
        }
        foreach (var entry in created)
        {
            if (!FollowsRequirements(entry.Node)) continue;
            foreach (var dependency in entry.Node.Requires)
            {
                if (!_entries.TryGetValue(dependency, out var d)) continue; // complete: nothing to wait for
                if (d.State == EntryState.Finished)
                {
                    if (!Succeeded(d.Report!.Outcome)) entry.UpstreamFailure ??= d.Node.Id;
                }
                else
                {
                    entry.PendingDependencies++;
                    (d.Dependents ??= []).Add(entry);
                }
            }
        }
        foreach (var entry in created) Classify(entry);
        return first;
    }

    private bool FollowsRequirements(TaskNode node) => node.Task is not ExternalTask && !(_run.NoDeps && node == _run.Root);

    private Entry Create(TaskNode node, List<Entry> created)
    {
        var entry = new Entry(node, _sequence++, NeedText(node.Task.Resources));
        _entries[node] = entry;
        created.Add(entry);
        _outstanding++;
        return entry;
    }

    /// <summary>Decides what a newly registered task is: done already, failed before it starts, waiting or ready.</summary>
    private void Classify(Entry entry)
    {
        if (entry.State == EntryState.Finished) return; // finished while its requirements were classified
        var node = entry.Node;
        if (_stopped) { FinishLocked(entry, Report(node, TaskOutcome.NotRun, "interrupted")); return; }
        if (_run.Completeness.IsComplete(node)) { FinishLocked(entry, Report(node, TaskOutcome.AlreadyComplete, null)); return; }
        if (node.Task is ExternalTask)
        {
            FinishLocked(entry, Report(node, TaskOutcome.Failed,
                $"external input missing: {string.Join(", ", node.Outputs.Where(o => !_run.Existence.Exists(o)).Select(_services.Resolver.UriOf))}"));
            return;
        }
        if (_run.NoDeps && node == _run.Root)
        {
            var missing = node.Requires.Where(r => !_run.Completeness.OutputsExist(r)).ToList();
            if (missing.Count > 0)
            {
                FinishLocked(entry, Report(node, TaskOutcome.NotRun,
                    "--no-deps given but requirement(s) incomplete: " + string.Join(", ", missing.Select(m => m.Id)) + "; run without --no-deps"));
                return;
            }
        }
        if (entry.UpstreamFailure is { } failed) { FinishLocked(entry, Report(node, TaskOutcome.UpstreamFailed, "failed: " + failed)); return; }
        try { _services.Resources.Validate(node.Task.Resources); }
        catch (InvalidOperationException e) { FinishLocked(entry, Report(node, TaskOutcome.Failed, e.Message)); return; }

        _run.Events.Publish((t, r) => new TaskScheduled(t, r, node.Id, node.Task.Family, new TaskIds(node.Requires), _planning));
        if (entry.PendingDependencies == 0) MakeReadyLocked(entry);
        else entry.State = EntryState.Waiting;
    }

    private void MakeReadyLocked(Entry entry)
    {
        entry.State = EntryState.Ready;
        _ready.Enqueue(entry, entry.Need, priority: 0, OrderOf(entry));
    }

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

    // ---- finishing: reports, events, and what it unblocks ----

    private void FinishLocked(Entry first, TaskReport firstReport)
    {
        var work = new Queue<(Entry, TaskReport)>();
        work.Enqueue((first, firstReport));
        while (work.TryDequeue(out var item))
        {
            var (entry, report) = item;
            if (entry.State == EntryState.Finished) continue;
            entry.State = EntryState.Finished;
            entry.Report = report;
            _finished.Add(entry);
            PublishOutcome(entry.Node, report);
            entry.Done.TrySetResult(report);
            Settle();
            if (entry.Dependents is null) continue;
            var succeeded = Succeeded(report.Outcome);
            foreach (var dependent in entry.Dependents)
            {
                if (dependent.State == EntryState.Finished) continue;
                if (!succeeded) work.Enqueue((dependent, Report(dependent.Node, TaskOutcome.UpstreamFailed, "failed: " + entry.Node.Id)));
                else if (--dependent.PendingDependencies == 0 && dependent.State == EntryState.Waiting) MakeReadyLocked(dependent);
            }
        }
    }

    private void PublishOutcome(TaskNode node, TaskReport report)
    {
        var (id, family) = (node.Id, node.Task.Family);
        switch (report.Outcome)
        {
            case TaskOutcome.Ran: _run.Events.Publish((t, r) => new TaskSucceeded(t, r, id, family, report.Duration, report.Attempts)); break;
            case TaskOutcome.AlreadyComplete:
                var planned = _planning;
                _run.Events.Publish((t, r) => new TaskAlreadyComplete(t, r, id, family, planned));
                break;
            case TaskOutcome.CompletedElsewhere: _run.Events.Publish((t, r) => new TaskCompletedElsewhere(t, r, id, family)); break;
            case TaskOutcome.Failed: _run.Events.Publish((t, r) => new TaskFailed(t, r, id, family, report.Reason ?? "", report.Attempts, report.Duration)); break;
            case TaskOutcome.UpstreamFailed:
                var reason = report.Reason ?? "";
                var dependency = reason.StartsWith("failed: ", StringComparison.Ordinal) ? reason["failed: ".Length..] : reason;
                _run.Events.Publish((t, r) => new TaskUpstreamFailed(t, r, id, family, dependency));
                break;
            case TaskOutcome.NotRun: _run.Events.Publish((t, r) => new TaskNotRun(t, r, id, family, report.Reason ?? "")); break;
        }
    }

    public static bool Succeeded(TaskOutcome outcome) => outcome is TaskOutcome.Ran or TaskOutcome.AlreadyComplete or TaskOutcome.CompletedElsewhere;

    private static TaskReport Report(TaskNode node, TaskOutcome outcome, string? reason) => new(node.Id, node.Task.Family, outcome, TimeSpan.Zero, 0, reason);

    // ---- starting work ----

    private void Pump()
    {
        List<(Entry, WorkerLease)>? toStart = null;
        lock (_gate)
        {
            while (!_stopped && _ready.Count > 0)
            {
                if (!_services.Slots.TryTake()) break;
                IDisposable? resources = null;
                var entry = _ready.TakeFirst(e => (resources = _services.Resources.TryAcquire(e.Node.Task.Resources)) is not null,
                    e => e.State != EntryState.Ready);
                if (entry is null)
                {
                    _services.Slots.Return();
                    break;
                }
                entry.State = EntryState.Running;
                (toStart ??= []).Add((entry, new WorkerLease(_services.Slots, _services.Resources, entry.Node.Task.Resources, resources!)));
            }
        }
        if (toStart is null) return;
        // Each task on a thread of its own: all but the last on the thread pool, the last on this thread.
        for (var i = 0; i < toStart.Count; i++)
        {
            var (entry, worker) = toStart[i];
            if (i < toStart.Count - 1) _ = Task.Run(() => ExecuteAsync(entry, worker));
            else Start(entry, worker);
        }
    }

    /// <summary>
    /// Runs a task's execution on this thread until it first waits (lease, staging, and a small task's whole
    /// body: no thread hop), unless starts are already nested here, in which case it goes to the thread pool so
    /// stacks stay shallow.
    /// </summary>
    private void Start(Entry entry, WorkerLease worker)
    {
        if (_inlineStarts >= MaxInlineStarts)
        {
            _ = Task.Run(() => ExecuteAsync(entry, worker));
            return;
        }
        _inlineStarts++;
        try { _ = ExecuteAsync(entry, worker); }
        finally { _inlineStarts--; }
    }

    private async Task ExecuteAsync(Entry entry, WorkerLease worker)
    {
        ExecutionResult result;
        try
        {
            bool lookFirst;
            lock (_gate) lookFirst = Sharing && _services.Time.GetUtcNow() - entry.FoundMissing > _services.Options.LeasePoll;
            result = await _execution.RunAsync(entry.Node, worker, entry.Deferrals > 0, lookFirst,
                (tasks, token) => RequireDynamicAsync(entry, worker, tasks, token), _ct);
        }
        catch (Exception e) when (!_ct.IsCancellationRequested)
        {
            // Whatever goes wrong around a task (its lease, deleting stale outputs, a store outage) fails that task.
            result = new ExecutionResult.Finished(Report(entry.Node, TaskOutcome.Failed, Errors.Describe(e)));
        }
        catch (Exception)
        {
            result = new ExecutionResult.Finished(Report(entry.Node, TaskOutcome.NotRun, "interrupted"));
        }
        lock (_gate)
        {
            switch (result)
            {
                case ExecutionResult.Finished f: FinishLocked(entry, f.Report); break;
                case ExecutionResult.Deferred d: DeferLocked(entry, d.Holder); break;
            }
        }
        worker.Release();
        Pump();
    }

    /// <summary>Dynamic dependencies: give the worker up, run what the task asked for, take a worker back.</summary>
    private async Task RequireDynamicAsync(Entry parent, WorkerLease worker, IReadOnlyList<WorkflowTask> tasks, CancellationToken ct)
    {
        var added = await _run.Graph.AddDynamicAsync(parent.Node, tasks, ct);
        worker.Release();
        try
        {
            var reports = await Task.WhenAll(added.Select(Ensure));
            var failed = reports.Where(r => !Succeeded(r.Outcome)).ToList();
            if (failed.Count > 0)
                throw new DependencyFailedException("dynamic dependency failed: " + string.Join(", ", failed.Select(f => $"{f.TaskId} ({f.Reason})")));
        }
        finally { await worker.ReacquireAsync(ct); }
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

    /// <summary>1/16 of the lease poll interval, doubling per try, up to the interval.</summary>
    private TimeSpan BackOff(int tries)
    {
        var poll = _services.Options.LeasePoll;
        return TimeSpan.FromTicks(Math.Min(poll.Ticks, poll.Ticks / 16 * (1L << Math.Min(tries - 1, 4))));
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

    // ---- cancellation ----

    /// <summary>Starts nothing more; what has not started is finished as interrupted, running attempts see the token.</summary>
    private void Stop()
    {
        lock (_gate)
        {
            _stopped = true;
            _timer?.Dispose();
            _timer = null;
            _sweep?.Dispose();
            foreach (var entry in _entries.Values.Where(e => e.State is EntryState.Waiting or EntryState.Ready or EntryState.Deferred).ToList())
                FinishLocked(entry, Report(entry.Node, TaskOutcome.NotRun, "interrupted"));
            _ready.DrainAll().ToList();
            _deferred.Clear();
        }
    }

    public void Dispose()
    {
        _onCancel.Dispose();
        _services.Slots.Unsubscribe(_onFreed);
        _services.Resources.Unsubscribe(_onFreed);
        lock (_gate)
        {
            _timer?.Dispose();
            _timer = null;
            _sweep?.Dispose();
        }
    }

    private static string NeedText(IReadOnlyDictionary<string, int> need) =>
        need.Count == 0 ? "" : string.Join(",", need.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"));

    /// <summary>The ids of some nodes, as a list without copying them.</summary>
    private sealed class TaskIds(List<TaskNode> nodes) : IReadOnlyList<string>
    {
        public string this[int index] => nodes[index].Id;
        public int Count => nodes.Count;
        public IEnumerator<string> GetEnumerator() => nodes.Select(n => n.Id).GetEnumerator();
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    private enum EntryState { New, Waiting, Ready, Running, Deferred, Finished }

    private sealed class Entry(TaskNode node, long sequence, string need)
    {
        public TaskNode Node { get; } = node;
        public long Sequence { get; } = sequence;
        public string Need { get; } = need;
        public EntryState State { get; set; } = EntryState.New;
        public int PendingDependencies { get; set; }
        public List<Entry>? Dependents { get; set; }
        public string? UpstreamFailure { get; set; }
        public int Deferrals { get; set; }
        public string? AnnouncedOwner { get; set; }
        /// <summary>When a sweep last found this task's outputs missing (another process had not made them).</summary>
        public DateTimeOffset FoundMissing { get; set; } = DateTimeOffset.MinValue;
        public TaskReport? Report { get; set; }
        public TaskCompletionSource<TaskReport> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
