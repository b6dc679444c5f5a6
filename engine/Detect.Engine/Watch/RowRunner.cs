using Detect.Engine.History;
using Detect.Engine.Parameters;
using Detect.Engine.Scheduling;
using Detect.Engine.Scheduling.Events;

namespace Detect.Engine.Watch;

/// <summary>How one row ended: its task and history run (when it got that far), and why it failed.</summary>
public sealed record RowOutcome(TriggerRow Row, bool Succeeded, string? TaskId, string? RunId, string? Reason);

/// <summary>
/// Runs rows in this process through one <see cref="Scheduler"/>, whose workers and resources all rows share
/// (<see cref="Scheduler.RunAsync"/> may be called concurrently). Each run carries its trigger and row
/// (<see cref="RunTrigger"/>) into the run history. Also the observer that tells each row its run's id.
/// </summary>
public sealed class RowRunner : ISchedulerObserver
{
    private static readonly AsyncLocal<StrongBox<string?>?> RunIdOfFlow = new();

    /// <summary>Set after construction: the scheduler takes this runner among its observers.</summary>
    public Scheduler? Scheduler { get; set; }

    public void OnEvent(SchedulerEvent e)
    {
        // RunStarted is published on the flow that called RunAsync: the row's own box.
        if (e is RunStarted started && RunIdOfFlow.Value is { } box) box.Value ??= started.RunId;
    }

    /// <summary>Builds and runs the row's task; a bad value or a failed task is an outcome, never an exception (except cancellation).</summary>
    public async Task<RowOutcome> RunAsync(RowTasks tasks, IReadOnlyList<string> header, TriggerRow row, string triggerUri, CancellationToken ct)
    {
        WorkflowTask task;
        try { task = tasks.Create(header, row); }
        catch (ParameterException e) { return new RowOutcome(row, false, null, null, "bad parameter value: " + e.Message); }

        var box = new StrongBox<string?>(null);
        RunIdOfFlow.Value = box;
        try
        {
            ExecutionSummary summary;
            using (new RunTrigger(triggerUri, row.Number).Enter())
                summary = await Scheduler!.RunAsync(task, ct);
            return summary.RootComplete
                ? new RowOutcome(row, true, task.TaskId, box.Value, null)
                : new RowOutcome(row, false, task.TaskId, box.Value, Reason(summary));
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // The task's planning threw (a bad requirement, an unreachable store): this row fails, the others go on.
            return new RowOutcome(row, false, task.TaskId, box.Value, $"{task.Family} could not run: {e.Message}");
        }
        finally { RunIdOfFlow.Value = null; }
    }

    /// <summary>The first failed task and its error (what the summary would print first).</summary>
    private static string Reason(ExecutionSummary summary)
    {
        if (summary.With(TaskOutcome.Failed).OrderBy(r => r.TaskId, StringComparer.Ordinal).FirstOrDefault() is { } failed)
            return $"{failed.TaskId} failed" + (failed.Attempts > 1 ? $" after {failed.Attempts} attempts" : "") + $": {failed.Reason}";
        var root = summary.Reports.FirstOrDefault(r => r.TaskId == summary.RootTaskId);
        return $"{summary.RootTaskId} is not complete" + (root?.Reason is { } why ? $": {why}" : ".");
    }

    private sealed class StrongBox<T>(T value)
    {
        public T Value = value;
    }
}
