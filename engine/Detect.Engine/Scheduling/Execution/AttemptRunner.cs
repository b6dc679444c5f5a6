using Detect.Engine.Scheduling.Events;
using Detect.Engine.Scheduling.Planning;

namespace Detect.Engine.Scheduling.Execution;

/// <summary>
/// One attempt of one task: a private staging folder, the task's <see cref="TaskContext"/> (logger into its own
/// log, progress events, dynamic dependencies), its time limit, and — only when <c>RunAsync</c> returned — the
/// publication of its outputs (dependency manifest first, directory markers last).
/// </summary>
internal sealed class AttemptRunner(SchedulerServices services, RunState run)
{
    /// <param name="requireDynamic">Runs the tasks a running task asks for (and gives up its worker meanwhile).</param>
    public async Task RunOnceAsync(TaskNode node, Func<IReadOnlyList<WorkflowTask>, CancellationToken, Task> requireDynamic, CancellationToken ct)
    {
        var timeout = node.Task.Timeout ?? services.Options.DefaultTimeout;
        using var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var staging = new OutputStaging(services.Staging);
        var dynamic = new List<WorkflowTask>();
        var events = run.Events;
        var logger = new TaskLogger(services.Logger, (level, message) =>
            events.Publish((t, r) => new TaskLogged(t, r, node.Id, node.Task.Family, level.ToString(), message)));
        var context = new TaskContext(node.Task, services.Resolver, staging, logger, services.Progress,
            (done, total, unit) => events.Publish((t, r) => new TaskProgress(t, r, node.Id, node.Task.Family, done, total, unit)),
            async (tasks, token) =>
            {
                lock (dynamic) dynamic.AddRange(tasks);
                await requireDynamic(tasks, token);
            },
            attemptCts.Token);

        // A task with a time limit runs on the thread pool, so the limit fires even while its code computes
        // before its first await (as it always did). Without one it starts on this thread: no thread hop, which
        // for small tasks costs more than the task. The dispatcher already starts each task on its own thread.
        Task body;
        if (timeout is null)
        {
            try { body = node.Task.RunAsync(context); }
            catch (Exception e) { body = Task.FromException(e); }
        }
        else body = Task.Run(() => node.Task.RunAsync(context), attemptCts.Token);
        if (!body.IsCompleted || body.IsFaulted || body.IsCanceled)
        {
            try
            {
                if (timeout is { } limit) await body.WaitAsync(limit, services.Time, ct);
                else await body.WaitAsync(ct);
            }
            catch (TimeoutException)
            {
                await attemptCts.CancelAsync();
                throw new TimeoutException($"timed out after {timeout!.Value.TotalSeconds:0.###}s (the task's time limit)");
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Interrupted: the task sees the cancelled token; its staging is removed only once it stopped writing
                // there. (A task that does not stop keeps the run waiting: a second Ctrl-C exits at once.)
                await StoppedAsync(body);
                throw;
            }
        }
        // An interrupted attempt publishes nothing, even when its code ran to the end: the run stops as it was asked.
        ct.ThrowIfCancellationRequested();

        var first = new List<(Target, string)>();
        if (dynamic.Count > 0 && node.Manifest is not null)
        {
            var manifestPath = Path.Combine(staging.ScratchDirectory, "deps.json");
            await File.WriteAllTextAsync(manifestPath, DynamicDependencies.Serialize(dynamic.Distinct()), ct);
            first.Add((node.Manifest, manifestPath));
        }
        // Publication, once begun, is not interrupted: cut short, it would leave some outputs of the task but not all.
        await staging.PublishAsync(services.Resolver, node.Outputs, first, CancellationToken.None);
        foreach (var output in node.Outputs) run.Existence.Record(output, true);
    }

    private static async Task StoppedAsync(Task body)
    {
        try { await body; }
        catch (Exception) { } // how it ended does not matter any more: the attempt is interrupted
    }
}
