using Microsoft.Extensions.Logging;

namespace Detect.Engine.Scheduling.Events;

/// <summary>
/// The observers of one scheduler. Delivers each event to each observer; an observer that throws is reported
/// once (with the event it failed on) and keeps receiving events, so a faulty observer never stops a run.
/// </summary>
internal sealed class ObserverSet(IReadOnlyList<ISchedulerObserver> observers, ILogger logger)
{
    private int _reported;

    public bool IsEmpty => observers.Count == 0;

    public void Publish(SchedulerEvent e)
    {
        for (var i = 0; i < observers.Count; i++)
        {
            try { observers[i].OnEvent(e); }
            catch (Exception error)
            {
                if (Interlocked.Exchange(ref _reported, 1) == 0)
                    logger.LogWarning("observer {Observer} failed on {Event}: {Error} (further failures are not logged)",
                        observers[i].GetType().Name, e.Kind, error.Message);
            }
        }
    }

    public async Task FlushAsync(string runId, CancellationToken ct)
    {
        foreach (var observer in observers.OfType<IFlushingObserver>())
        {
            try { await observer.FlushAsync(runId, ct); }
            catch (Exception error) when (error is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                logger.LogWarning("observer {Observer} could not finish: {Error}", observer.GetType().Name, error.Message);
            }
        }
    }
}
