namespace Detect.Engine.History;

/// <summary>Where a task of a run is, as its event log tells it.</summary>
public enum TaskState { Pending, Waiting, Running, Retrying, Done, CompletedElsewhere, AlreadyComplete, Failed, UpstreamFailed, NotRun }

/// <summary>One task of a run as far as the event log goes.</summary>
public sealed class TaskView(string id, string family)
{
    public string Id { get; } = id;
    public string Family { get; } = family;
    public TaskState State { get; internal set; } = TaskState.Pending;
    public int Attempt { get; internal set; }
    public string? Error { get; internal set; }
    public string? FailedDependency { get; internal set; }
    public DateTimeOffset? Since { get; internal set; }
    public double? Seconds { get; internal set; }
    public long? Done { get; internal set; }
    public long? Total { get; internal set; }
    public string? Unit { get; internal set; }
    public string? Holder { get; internal set; }

    public bool Finished => State is TaskState.Done or TaskState.CompletedElsewhere or TaskState.AlreadyComplete
        or TaskState.Failed or TaskState.UpstreamFailed or TaskState.NotRun;
}

/// <summary>Counts of one family's tasks by state.</summary>
public sealed record FamilyState(string Family, int Tasks, int Complete, int Pending, int Waiting, int Running, int Done,
    int Elsewhere, int Failed, int UpstreamFailed, int NotRun);

/// <summary>
/// A run's state rebuilt from its record and event log (<see cref="Apply"/> the lines in order, as they come):
/// per task what it is doing, per family how many tasks are in each state, overall progress and an ETA. Tasks
/// that were complete when the run planned, and planned tasks that have not started, are counts from the record,
/// not entries, so a 100,000-task run costs what its events cost.
/// </summary>
public sealed class RunReplay
{
    private readonly Dictionary<string, TaskView> _tasks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Tasks, int ToRun)> _plan = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _dynamic = new(StringComparer.Ordinal);

    public RunReplay(RunRecord record)
    {
        Record = record;
        foreach (var f in record.Families) _plan[f.Family] = (f.Tasks, f.ToRun);
    }

    public RunRecord Record { get; private set; }

    /// <summary>A finished run read from its final record (and task outcomes), not replayed from its event log.</summary>
    public bool FromRecord { get; private set; }
    public IReadOnlyDictionary<string, TaskView> Tasks => _tasks;
    public int LastChunk { get; internal set; }
    public DateTimeOffset? FinishedAt { get; private set; }
    public string? FinishedOutcome { get; private set; }
    public DateTimeOffset? LastEventAt { get; private set; }

    /// <summary>Replaces the record (it is rewritten while the run goes on); the plan stays as first read.</summary>
    public void Update(RunRecord record) => Record = record;

    public void Apply(EventLine line)
    {
        LastEventAt = line.Time;
        switch (line.Kind)
        {
            case "run-finished":
                FinishedAt = line.Time;
                FinishedOutcome = line.Outcome;
                return;
            case "run-started" or "":
                return;
        }
        if (line.Task is null || line.Family is null) return;
        if (!_tasks.TryGetValue(line.Task, out var task)) _tasks[line.Task] = task = new TaskView(line.Task, line.Family);
        switch (line.Kind)
        {
            case "task-scheduled":
                _dynamic[line.Family] = _dynamic.GetValueOrDefault(line.Family) + 1;
                break;
            case "task-already-complete":
                // a task asked for at run time that was complete: it was in no count of the plan
                _dynamic[line.Family] = _dynamic.GetValueOrDefault(line.Family) + 1;
                task.State = TaskState.AlreadyComplete;
                break;
            case "task-waiting-for-lease":
                task.State = TaskState.Waiting;
                task.Holder = line.HolderHost is null ? line.Holder : $"{line.HolderHost} (pid {line.HolderPid}, run {line.HolderRun})";
                task.Since ??= line.Time;
                break;
            case "task-started":
                task.State = TaskState.Running;
                task.Attempt = line.Attempt ?? 1;
                task.Since = line.Time;
                task.Done = task.Total = null;
                break;
            case "task-progress":
                task.Done = line.Done;
                task.Total = line.Total;
                task.Unit = line.Unit;
                break;
            case "task-retrying":
                task.State = TaskState.Retrying;
                task.Error = line.Error;
                break;
            case "task-succeeded":
                task.State = TaskState.Done;
                task.Seconds = line.Seconds;
                break;
            case "task-completed-elsewhere":
                task.State = TaskState.CompletedElsewhere;
                break;
            case "task-failed":
                task.State = TaskState.Failed;
                task.Error = line.Error;
                task.Attempt = line.Attempt ?? task.Attempt;
                task.Seconds = line.Seconds;
                break;
            case "task-upstream-failed":
                task.State = TaskState.UpstreamFailed;
                task.FailedDependency = line.Dependency;
                break;
            case "task-not-run":
                task.State = TaskState.NotRun;
                task.Error = line.Error;
                break;
        }
    }

    /// <summary>A line of the run's task outcomes (<c>tasks.jsonl</c>), for a run read from its record.</summary>
    private void ApplyOutcome(TaskLine line)
    {
        var task = new TaskView(line.Task, line.Family) { Seconds = line.Seconds, Attempt = line.Attempts };
        task.State = line.Outcome switch
        {
            "ran" => TaskState.Done,
            "completed-elsewhere" => TaskState.CompletedElsewhere,
            "failed" => TaskState.Failed,
            "upstream-failed" => TaskState.UpstreamFailed,
            "not-run" => TaskState.NotRun,
            _ => TaskState.AlreadyComplete,
        };
        if (task.State == TaskState.UpstreamFailed)
            task.FailedDependency = line.Reason is { } r && r.StartsWith("failed: ", StringComparison.Ordinal) ? r["failed: ".Length..] : line.Reason;
        else if (task.State is TaskState.Failed or TaskState.NotRun) task.Error = line.Reason;
        _tasks[line.Task] = task;
    }

    /// <summary>Per family, in name order: tasks and how many are in each state.</summary>
    public IReadOnlyList<FamilyState> Families()
    {
        if (FromRecord && Record.Outcomes is { } outcomes)
            return outcomes.Select(o => new FamilyState(o.Family, o.Tasks, o.AlreadyComplete, 0, 0, 0, o.Ran, o.CompletedElsewhere, o.Failed,
                o.UpstreamFailed, o.NotRun)).ToList();
        var seen = new Dictionary<string, int[]>(StringComparer.Ordinal); // by TaskState
        foreach (var task in _tasks.Values)
        {
            if (!seen.TryGetValue(task.Family, out var counts)) seen[task.Family] = counts = new int[Enum.GetValues<TaskState>().Length];
            counts[(int)task.State]++;
        }
        var families = _plan.Keys.Union(seen.Keys).Union(_dynamic.Keys).Order(StringComparer.Ordinal);
        return families.Select(family =>
        {
            var (tasks, toRun) = _plan.GetValueOrDefault(family);
            var dynamic = _dynamic.GetValueOrDefault(family);
            var c = seen.GetValueOrDefault(family) ?? new int[Enum.GetValues<TaskState>().Length];
            int Count(TaskState s) => c[(int)s];
            var active = c.Sum() - Count(TaskState.Pending) - Count(TaskState.AlreadyComplete);
            var pending = Math.Max(0, toRun + dynamic - Count(TaskState.AlreadyComplete) - active);
            return new FamilyState(family, tasks + dynamic, tasks - toRun + Count(TaskState.AlreadyComplete), pending,
                Count(TaskState.Waiting), Count(TaskState.Running) + Count(TaskState.Retrying), Count(TaskState.Done),
                Count(TaskState.CompletedElsewhere), Count(TaskState.Failed), Count(TaskState.UpstreamFailed), Count(TaskState.NotRun));
        }).ToList();
    }

    /// <summary>Tasks to run (the plan's incomplete ones plus those asked for at run time) and how many have finished.</summary>
    public (int ToRun, int Finished) Progress()
    {
        if (FromRecord) { var ended = Record.Counts.Finished; return (ended, ended); }
        var toRun = _plan.Values.Sum(p => p.ToRun) + _dynamic.Values.Sum();
        var finished = _tasks.Values.Count(t => t.Finished);
        return (toRun, Math.Min(finished, toRun));
    }

    /// <summary>The time left at the pace so far, or null when nothing finished yet or the run ended.</summary>
    public TimeSpan? EstimatedRemaining(DateTimeOffset now)
    {
        var (toRun, finished) = Progress();
        if (finished == 0 || FinishedAt is not null || finished >= toRun) return null;
        var elapsed = now - Record.Started;
        return TimeSpan.FromTicks((long)(elapsed.Ticks * (double)(toRun - finished) / finished));
    }

    /// <summary>Reads what is new in the run's history into this replay (the record and any new event chunks).</summary>
    public async Task RefreshAsync(RunHistory history, CancellationToken ct = default)
    {
        if (FromRecord) return; // final
        if (await history.ReadRecordAsync(Record.Id, ct) is { } record) Update(record);
        var (events, last) = await history.ReadEventsAsync(Record.Id, LastChunk, ct);
        foreach (var e in events) Apply(e);
        LastChunk = last;
    }

    /// <summary>
    /// The run's state so far; null when the run has no record. A finished run is read from its final record —
    /// with <paramref name="perTask"/> also what each task did (<c>tasks.jsonl</c>), else counts only — instead of
    /// its whole event log; a run going on (or one that ended abnormally) is replayed from its events.
    /// </summary>
    public static async Task<RunReplay?> LoadAsync(RunHistory history, string runId, bool perTask = true, CancellationToken ct = default)
    {
        if (await history.ReadRecordAsync(runId, ct) is not { } record) return null;
        var replay = new RunReplay(record);
        if (record.Outcome != RunRecord.Running && record.Outcomes is not null)
        {
            replay.FromRecord = true;
            replay.FinishedAt = record.Ended;
            replay.FinishedOutcome = record.Outcome;
            if (perTask)
                foreach (var line in await history.ReadTasksAsync(runId, ct)) replay.ApplyOutcome(line);
            return replay;
        }
        await replay.RefreshAsync(history, ct);
        return replay;
    }
}
