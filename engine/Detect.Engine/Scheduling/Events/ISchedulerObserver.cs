namespace Detect.Engine.Scheduling.Events;

/// <summary>
/// Receives every <see cref="SchedulerEvent"/> of a run. Called synchronously on the scheduler's threads, often
/// concurrently: implementations must be thread-safe and quick (buffer, and do slow I/O on a thread of their own).
/// An observer that throws is logged and otherwise ignored; it never fails a run.
/// </summary>
public interface ISchedulerObserver
{
    void OnEvent(SchedulerEvent e);
}

/// <summary>An observer that can be waited for when the run ends (e.g. to flush history or deliver a notification).</summary>
public interface IFlushingObserver : ISchedulerObserver
{
    /// <summary>Finishes the observer's pending work for run <paramref name="runId"/> (called once, after its <see cref="RunFinished"/>).</summary>
    Task FlushAsync(string runId, CancellationToken ct);
}
