namespace Detect.Engine.Scheduling.Events;

/// <summary>
/// Something the scheduler did or saw, reported to every <see cref="ISchedulerObserver"/>. Times come from the
/// scheduler's <see cref="TimeProvider"/>; <see cref="RunId"/> names the run (a ULID, also the key of its history).
/// </summary>
public abstract record SchedulerEvent(DateTimeOffset Time, string RunId)
{
    /// <summary>The event's kebab-case name as written to the run history, e.g. <c>task-succeeded</c>.</summary>
    public abstract string Kind { get; }
}

/// <summary>
/// The run resolved its graph: <paramref name="Tasks"/> in it, <paramref name="ToRun"/> of them incomplete (to run);
/// per family how many, and which families feed which (the graph aggregated by family).
/// </summary>
public sealed record RunStarted(DateTimeOffset Time, string RunId, string RootTaskId, string RootFamily, int Tasks, int ToRun,
    IReadOnlyList<FamilyPlan> Families, IReadOnlyList<FamilyEdge> Edges, IReadOnlyList<KeyValuePair<string, string>> RootParameters)
    : SchedulerEvent(Time, RunId)
{
    public override string Kind => "run-started";
}

/// <summary>One task family in a run's plan: its tasks, and how many of them were incomplete (to run).</summary>
public sealed record FamilyPlan(string Family, int Tasks, int ToRun);

/// <summary>Tasks of family <paramref name="From"/> are required by tasks of family <paramref name="To"/> (data flows From → To).</summary>
public sealed record FamilyEdge(string From, string To);

/// <summary>The run ended; <see cref="Summary"/> says what every task did. <paramref name="Interrupted"/>: it was cancelled.</summary>
public sealed record RunFinished(DateTimeOffset Time, string RunId, ExecutionSummary Summary, TimeSpan Duration, bool Interrupted = false)
    : SchedulerEvent(Time, RunId)
{
    public override string Kind => "run-finished";
}

/// <summary>An event about one task.</summary>
public abstract record TaskEvent(DateTimeOffset Time, string RunId, string TaskId, string Family) : SchedulerEvent(Time, RunId);

/// <summary>
/// The task is incomplete and will run once its requirements are complete. <paramref name="Planned"/>: it was in
/// the plan <see cref="RunStarted"/> counted (false for tasks a running task asked for, and their requirements).
/// </summary>
public sealed record TaskScheduled(DateTimeOffset Time, string RunId, string TaskId, string Family, IReadOnlyList<string> Requires, bool Planned)
    : TaskEvent(Time, RunId, TaskId, Family)
{
    public override string Kind => "task-scheduled";
}

/// <summary>
/// The task's outputs (and everything it requires) were already complete. <paramref name="Planned"/>: it is one of
/// the plan's complete tasks (<see cref="RunStarted"/> counted it); false for a task a running task asked for.
/// </summary>
public sealed record TaskAlreadyComplete(DateTimeOffset Time, string RunId, string TaskId, string Family, bool Planned = true)
    : TaskEvent(Time, RunId, TaskId, Family)
{
    public override string Kind => "task-already-complete";
}

/// <summary>Another process holds the task's lease; this run does other work and comes back to it.</summary>
public sealed record TaskWaitingForLease(DateTimeOffset Time, string RunId, string TaskId, string Family, LeaseHolder Holder)
    : TaskEvent(Time, RunId, TaskId, Family)
{
    public override string Kind => "task-waiting-for-lease";
}

/// <summary>An attempt began (1 for the first).</summary>
public sealed record TaskStarted(DateTimeOffset Time, string RunId, string TaskId, string Family, int Attempt)
    : TaskEvent(Time, RunId, TaskId, Family)
{
    public override string Kind => "task-started";
}

/// <summary>A running task reported progress (at most about once a second per task, and at its end).</summary>
public sealed record TaskProgress(DateTimeOffset Time, string RunId, string TaskId, string Family, long Done, long Total, string Unit)
    : TaskEvent(Time, RunId, TaskId, Family)
{
    public override string Kind => "task-progress";
}

/// <summary>A task wrote a log line (its own log, shown in the run history).</summary>
public sealed record TaskLogged(DateTimeOffset Time, string RunId, string TaskId, string Family, string Level, string Message)
    : TaskEvent(Time, RunId, TaskId, Family)
{
    public override string Kind => "task-logged";
}

/// <summary>Attempt <paramref name="Attempt"/> failed with <paramref name="Error"/>; the next starts after <paramref name="Delay"/>.</summary>
public sealed record TaskRetrying(DateTimeOffset Time, string RunId, string TaskId, string Family, int Attempt, TimeSpan Delay, string Error)
    : TaskEvent(Time, RunId, TaskId, Family)
{
    public override string Kind => "task-retrying";
}

/// <summary>The task ran and its outputs are published.</summary>
public sealed record TaskSucceeded(DateTimeOffset Time, string RunId, string TaskId, string Family, TimeSpan Duration, int Attempts)
    : TaskEvent(Time, RunId, TaskId, Family)
{
    public override string Kind => "task-succeeded";
}

/// <summary>Another process completed the task while this run waited for (or planned) it.</summary>
public sealed record TaskCompletedElsewhere(DateTimeOffset Time, string RunId, string TaskId, string Family)
    : TaskEvent(Time, RunId, TaskId, Family)
{
    public override string Kind => "task-completed-elsewhere";
}

/// <summary>The task failed for good (after <paramref name="Attempts"/> attempts; 0 when it never started).</summary>
public sealed record TaskFailed(DateTimeOffset Time, string RunId, string TaskId, string Family, string Error, int Attempts, TimeSpan Duration)
    : TaskEvent(Time, RunId, TaskId, Family)
{
    public override string Kind => "task-failed";
}

/// <summary>The task was not run because <paramref name="FailedDependency"/> failed (or was not run).</summary>
public sealed record TaskUpstreamFailed(DateTimeOffset Time, string RunId, string TaskId, string Family, string FailedDependency)
    : TaskEvent(Time, RunId, TaskId, Family)
{
    public override string Kind => "task-upstream-failed";
}

/// <summary>The task was not run for a reason of its own (e.g. <c>--no-deps</c> with a requirement missing).</summary>
public sealed record TaskNotRun(DateTimeOffset Time, string RunId, string TaskId, string Family, string Reason)
    : TaskEvent(Time, RunId, TaskId, Family)
{
    public override string Kind => "task-not-run";
}

/// <summary>Who holds a task's lease: the process (host, pid), its run and since when; it expires unless renewed.</summary>
public sealed record LeaseHolder(string Owner, string? Host, int? Pid, string? RunId, DateTimeOffset? Since, DateTimeOffset Expires)
{
    public override string ToString() => Owner + (RunId is null ? "" : $", run {RunId}");
}
