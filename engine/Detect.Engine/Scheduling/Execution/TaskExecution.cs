using Detect.Engine.Scheduling.Events;
using Detect.Engine.Scheduling.Leases;
using Detect.Engine.Scheduling.Planning;

namespace Detect.Engine.Scheduling.Execution;

/// <summary>What became of a task the dispatcher started.</summary>
internal abstract record ExecutionResult
{
    /// <summary>The task is done with, one way or another.</summary>
    public sealed record Finished(TaskReport Report) : ExecutionResult;

    /// <summary>Another process holds its lease: come back later.</summary>
    public sealed record Deferred(LeaseHolder Holder) : ExecutionResult;
}

/// <summary>
/// Everything between "this task is ready" and "it is done" in one process: take its lease (or report who holds
/// it), see whether another run finished it meanwhile, remove stale outputs, then attempts with retries and
/// backoff. The lease is held across attempts; the worker is given up during a backoff.
/// </summary>
internal sealed class TaskExecution(SchedulerServices services, RunState run, AttemptRunner attempts)
{
    /// <param name="wasDeferred">An earlier try found the lease held elsewhere (so check for the holder's outputs).</param>
    /// <param name="lookFirst">Other processes work on this graph and no recent look found the outputs missing: look for
    /// them before asking for the lease.</param>
    public async Task<ExecutionResult> RunAsync(TaskNode node, WorkerLease worker, bool wasDeferred, bool lookFirst,
        Func<IReadOnlyList<WorkflowTask>, CancellationToken, Task> requireDynamic, CancellationToken ct)
    {
        var started = services.Time.GetTimestamp();
        var outputsExistedWhenPlanned = node.Outputs.All(run.Existence.Exists);
        // With other processes about, many ready tasks are done by them already: a look at the outputs is cheaper
        // than taking a lease to find out (on S3: one request instead of three).
        if (services.Leases is not null && lookFirst && !outputsExistedWhenPlanned && await DoneElsewhereAsync(node, ct))
        {
            run.Completeness.MarkComplete(node);
            return Finish(node, TaskOutcome.CompletedElsewhere, started, 0, null);
        }
        HeldLease? lease = null;
        if (services.Leases is { } leases)
        {
            var attempt = await leases.TryAcquireAsync(node.Id, run.RunId, ct);
            if (attempt.Lease is null) return new ExecutionResult.Deferred(attempt.Holder!);
            lease = attempt.Lease;
        }
        try { return await RunLeasedAsync(node, worker, lease, wasDeferred, outputsExistedWhenPlanned, started, requireDynamic, ct); }
        finally
        {
            if (lease is not null) services.Leases!.Renewer.ReleaseLater(lease);
        }
    }

    private async Task<ExecutionResult> RunLeasedAsync(TaskNode node, WorkerLease worker, HeldLease? lease, bool wasDeferred,
        bool outputsExistedWhenPlanned, long started, Func<IReadOnlyList<WorkflowTask>, CancellationToken, Task> requireDynamic, CancellationToken ct)
    {
        // Another run may have finished it between our plan and our lease (or while we waited for it).
        if (lease is not null && (wasDeferred || !outputsExistedWhenPlanned) && await DoneElsewhereAsync(node, ct))
        {
            run.Completeness.MarkComplete(node);
            return Finish(node, TaskOutcome.CompletedElsewhere, started, 0, null);
        }
        await DeleteStaleOutputsAsync(node, ct);

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                run.Events.Publish((t, r) => new TaskStarted(t, r, node.Id, node.Task.Family, attempt));
                await attempts.RunOnceAsync(node, requireDynamic, ct);
                run.Completeness.MarkComplete(node);
                return Finish(node, TaskOutcome.Ran, started, attempt, null);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                var reason = Errors.Describe(e);
                if (services.Retry.DelayAfter(attempt, e) is not { } delay)
                    return Finish(node, TaskOutcome.Failed, started, attempt, reason);
                run.Events.Publish((t, r) => new TaskRetrying(t, r, node.Id, node.Task.Family, attempt, delay, reason));
                worker.Release();
                await Task.Delay(delay, services.Time, ct);
                await worker.ReacquireAsync(ct);
            }
        }
    }

    private ExecutionResult.Finished Finish(TaskNode node, TaskOutcome outcome, long started, int attempts, string? reason) =>
        new ExecutionResult.Finished(new TaskReport(node.Id, node.Task.Family, outcome, services.Time.GetElapsedTime(started), attempts, reason));

    /// <summary>A task rerun because something upstream changed loses its old outputs first, so a failed rerun never leaves stale outputs that look complete.</summary>
    private async Task DeleteStaleOutputsAsync(TaskNode node, CancellationToken ct)
    {
        var stale = node.Outputs.Where(run.Existence.Exists).ToList();
        if (node.Manifest is not null && run.Existence.Exists(node.Manifest)) stale.Add(node.Manifest);
        foreach (var target in stale)
        {
            await services.Resolver.DeleteAsync(target, ct);
            run.Existence.Record(target, false);
        }
    }

    private async Task<bool> DoneElsewhereAsync(TaskNode node, CancellationToken ct)
    {
        foreach (var output in node.Outputs)
            if (!await services.Resolver.ExistsAsync(output, ct)) return false;
        return node.Outputs.Count > 0;
    }
}

internal static class Errors
{
    /// <summary>The message a failure is reported with: our own exceptions as they are, others with their type.</summary>
    public static string Describe(Exception e)
    {
        var root = e is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerExceptions[0] : e;
        return root is TimeoutException or MissingInputException or DependencyFailedException
            ? root.Message
            : $"{root.GetType().Name}: {root.Message}";
    }
}
