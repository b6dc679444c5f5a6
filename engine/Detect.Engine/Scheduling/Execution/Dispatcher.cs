using Detect.Engine.Scheduling.Events;
using Detect.Engine.Scheduling.Planning;

namespace Detect.Engine.Scheduling.Execution;

/// <summary>
/// Runs one run's incomplete tasks: each waits until the tasks it requires are done, then joins the ready queue;
/// ready tasks start while worker slots and their resources allow; a failure finishes everything downstream of it
/// as upstream-failed while independent branches go on. A task whose lease another process holds is set aside and
/// tried again later (backing off up to <see cref="SchedulerOptions.LeasePoll"/>, from a timer — no busy polling),
/// so this process does other ready work meanwhile: several processes on one store share the work.
/// All state changes happen under one lock; tasks run outside it.
/// </summary>
internal sealed partial class Dispatcher : IDisposable
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

    /// <summary>How deep tasks may be started inline on one thread before the rest wait for the outermost start there.</summary>
    private const int MaxInlineStarts = 4;
    [ThreadStatic] private static int _inlineStarts;
    /// <summary>Starts too deep to nest, waiting for the outermost start on this thread (see <c>Start</c>).</summary>
    [ThreadStatic] private static Queue<(Dispatcher Dispatcher, Entry Entry, WorkerLease Worker)>? _queuedStarts;

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
    /// <param name="inheritedPriority">The priority of the task that asked for it (it and what it needs run at least at that).</param>
    public Task<TaskReport> Ensure(TaskNode node, int inheritedPriority = 0)
    {
        Entry entry;
        lock (_gate)
        {
            _outstanding++; // so that a task finishing during registration does not look like the end
            var created = new List<Entry>();
            try
            {
                entry = RegisterLocked(node, created);
                ClassifyLocked(created, inheritedPriority);
            }
            catch
            {
                UnregisterLocked(created);
                throw;
            }
            finally { Settle(); }
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
            var created = new List<Entry>();
            foreach (var node in nodes) RegisterLocked(node, created);
            ClassifyLocked(created, 0);
            _planning = false;
            Settle();
        }
        Pump();
    }

    /// <summary>
    /// Takes back entries registered by a registration that threw (a task's requirements or resources could not be
    /// read): left behind, they would never start nor finish, and the run would wait for them for ever. The caller
    /// gets the exception (a dynamic requirement's parent fails with it).
    /// </summary>
    private void UnregisterLocked(List<Entry> created)
    {
        foreach (var entry in created)
        {
            if (entry.State != EntryState.New) continue;
            _entries.Remove(entry.Node);
            _outstanding--;
        }
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

    /// <summary>Creates entries for <paramref name="start"/> and the incomplete tasks it needs, linked to what they wait for;
    /// appends them to <paramref name="created"/> (to be classified once all are registered, see <see cref="ClassifyLocked"/>).</summary>
    private Entry RegisterLocked(TaskNode start, List<Entry> created)
    {
        if (_entries.TryGetValue(start, out var known)) return known;
        var firstCreated = created.Count;
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
        for (var i = firstCreated; i < created.Count; i++)
        {
            var entry = created[i];
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
        return first;
    }

    /// <summary>Gives newly registered tasks their priorities, then decides what each is (done, failed, waiting, ready).</summary>
    private void ClassifyLocked(List<Entry> created, int inheritedPriority)
    {
        AssignPriorities(created, inheritedPriority);
        foreach (var entry in created) Classify(entry);
    }

    /// <summary>
    /// A task's priority is its own (<see cref="WorkflowTask.Priority"/>, or <see cref="SchedulerOptions.FamilyPriorities"/>
    /// for its family), raised to that of any task above the default (0) waiting for it, as in Luigi: what a
    /// high-priority task needs runs at its priority too. Unlike Luigi, the default 0 of the tasks that need one is not
    /// passed on, so a negative priority keeps its branch behind the others (under Luigi the wrapper's 0 would undo it).
    /// Only tasks not yet queued are raised (a queued task keeps its place).
    /// </summary>
    private void AssignPriorities(List<Entry> created, int inheritedPriority)
    {
        var overrides = _services.Options.FamilyPriorities;
        int lowest = int.MaxValue, highest = int.MinValue;
        foreach (var entry in created)
        {
            var task = entry.Node.Task;
            var own = overrides.Count > 0 && overrides.TryGetValue(task.Family, out var set) ? set : task.Priority;
            entry.Priority = inheritedPriority > 0 ? Math.Max(own, inheritedPriority) : own;
            lowest = Math.Min(lowest, entry.Priority);
            highest = Math.Max(highest, entry.Priority);
        }
        if (highest <= 0 || highest <= lowest) return; // all equal (the usual case: every task 0), or none above 0: nothing to pass on
        var work = new Stack<Entry>(created.Where(e => e.Priority > 0 && e.Priority > lowest));
        while (work.TryPop(out var entry))
        {
            if (!FollowsRequirements(entry.Node)) continue;
            foreach (var dependency in entry.Node.Requires)
                if (_entries.TryGetValue(dependency, out var d) && d.State == EntryState.New && d.Priority < entry.Priority)
                {
                    d.Priority = entry.Priority;
                    work.Push(d);
                }
        }
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
        if (_stopped) { FinishLocked(entry, Report(node, TaskOutcome.NotRun, Interruption.BeforeStart)); return; }
        if (_run.Completeness.IsComplete(node)) { FinishLocked(entry, Report(node, TaskOutcome.AlreadyComplete, null)); return; }
        if (node.Task is ExternalTask external)
        {
            FinishLocked(entry, Report(node, TaskOutcome.Failed,
                $"external input missing: {string.Join(", ", node.Outputs.Where(o => !_run.Existence.Exists(o)).Select(_services.Resolver.UriOf))}. {external.MissingInputHint}"));
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
        _ready.Enqueue(entry, entry.Need, entry.Priority, OrderOf(entry));
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
                FinishLocked(entry, Report(entry.Node, TaskOutcome.NotRun, Interruption.BeforeStart));
            _ = _ready.DrainAll().ToList();
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
        /// <summary>Higher starts first among ready tasks (see <see cref="AssignPriorities"/>).</summary>
        public int Priority { get; set; }
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
