namespace Detect.Engine.Scheduling.Execution;

/// <summary>Starting work: ready tasks onto worker slots, each execution, dynamic dependencies.</summary>
internal sealed partial class Dispatcher
{
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
    /// body: no thread hop). A small task that finishes at once starts the next from inside its own finishing, so
    /// starts nest; past <see cref="MaxInlineStarts"/> deep the next one is queued instead and the outermost start on
    /// this thread runs it once the stack above it has unwound — stacks stay shallow, and the work stays on this
    /// thread (handing every few tasks to the thread pool cost a thread wake-up each).
    /// </summary>
    private void Start(Entry entry, WorkerLease worker)
    {
        if (_inlineStarts >= MaxInlineStarts)
        {
            _queuedStarts!.Enqueue((this, entry, worker));
            return;
        }
        var outermost = _inlineStarts == 0;
        if (outermost) _queuedStarts ??= new();
        RunHere(entry, worker);
        if (!outermost) return;
        while (_queuedStarts!.TryDequeue(out var next)) next.Dispatcher.RunHere(next.Entry, next.Worker);
    }

    private void RunHere(Entry entry, WorkerLease worker)
    {
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
            lock (_gate) lookFirst = Sharing && _services.Time.GetUtcNow() - entry.FoundMissing > 2 * _services.Options.LeasePoll;
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
            result = new ExecutionResult.Finished(Report(entry.Node, TaskOutcome.NotRun, Interruption.WhileRunning));
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
        // Queued before the worker is given up, so that the freed worker goes to them (at the parent's priority) rather
        // than to a lower-priority task that was ready already.
        var done = added.Select(node => Ensure(node, parent.Priority)).ToList();
        worker.Release();
        try
        {
            var reports = await Task.WhenAll(done);
            var failed = reports.Where(r => !Succeeded(r.Outcome)).ToList();
            if (failed.Count > 0)
                throw new DependencyFailedException("dynamic dependency failed: " + string.Join(", ", failed.Select(f => $"{f.TaskId} ({f.Reason})")));
        }
        finally { await worker.ReacquireAsync(ct); }
    }
}
