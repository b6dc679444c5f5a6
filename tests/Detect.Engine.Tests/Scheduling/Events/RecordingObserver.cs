using Detect.Engine.Scheduling.Events;

namespace Detect.Engine.Tests.Scheduling.Events;

/// <summary>Keeps every event, and lets a test wait for one.</summary>
public sealed class RecordingObserver : ISchedulerObserver
{
    private readonly List<SchedulerEvent> _events = [];
    private readonly List<(Func<SchedulerEvent, bool> Match, TaskCompletionSource<SchedulerEvent> Seen)> _waiters = [];

    public IReadOnlyList<SchedulerEvent> Events { get { lock (_events) return [.. _events]; } }

    public void OnEvent(SchedulerEvent e)
    {
        lock (_events)
        {
            _events.Add(e);
            foreach (var w in _waiters.Where(w => w.Match(e)).ToList())
            {
                _waiters.Remove(w);
                w.Seen.TrySetResult(e);
            }
        }
    }

    /// <summary>The first event (already seen or still to come) that matches.</summary>
    public Task<SchedulerEvent> WaitFor(Func<SchedulerEvent, bool> match, TimeSpan? timeout = null)
    {
        lock (_events)
        {
            if (_events.FirstOrDefault(match) is { } seen) return Task.FromResult(seen);
            var waiter = new TaskCompletionSource<SchedulerEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, waiter));
            return waiter.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>The events about one task (by name fragment of its id), as kind names.</summary>
    public IReadOnlyList<string> KindsOf(string taskIdPart) =>
        Events.OfType<TaskEvent>().Where(e => e.TaskId.Contains(taskIdPart, StringComparison.Ordinal)).Select(e => e.Kind).ToList();
}
