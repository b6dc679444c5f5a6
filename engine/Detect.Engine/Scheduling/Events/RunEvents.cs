namespace Detect.Engine.Scheduling.Events;

/// <summary>Makes the events of one run (its id, the scheduler's clock) and hands them to the observers.</summary>
internal sealed class RunEvents(string runId, TimeProvider time, ObserverSet observers)
{
    public string RunId { get; } = runId;
    public TimeProvider Time => time;
    public DateTimeOffset Now => time.GetUtcNow();

    public void Publish(SchedulerEvent e) => observers.Publish(e);

    public void Publish<T>(Func<DateTimeOffset, string, T> make) where T : SchedulerEvent
    {
        if (!observers.IsEmpty) observers.Publish(make(Now, RunId));
    }
}
