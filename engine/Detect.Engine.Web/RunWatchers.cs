using System.Collections.Concurrent;
using Detect.Engine.History;

namespace Detect.Engine.Web;

/// <summary>
/// The runs the page looks at, each replayed once from the store and then kept up to date by reading only new
/// event chunks (at most every <see cref="MaxAge"/>), however many browsers watch it.
/// </summary>
internal sealed class RunWatchers(RunHistory history, TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMilliseconds(250);
    private readonly ConcurrentDictionary<string, Watch> _watches = new(StringComparer.Ordinal);

    /// <summary>The run's current view, or null when the store has no such run.</summary>
    public async Task<RunView?> ViewAsync(string runId, CancellationToken ct)
    {
        if (!Scheduling.RunIds.IsValid(runId)) return null;
        var watch = _watches.GetOrAdd(runId, id => new Watch(id));
        await watch.Gate.WaitAsync(ct);
        try
        {
            var now = time.GetUtcNow();
            if (watch.Replay is null)
            {
                // A finished run is shown from its record alone (no per-task data needed): instant also for 100,000 tasks.
                watch.Replay = await RunReplay.LoadAsync(history, runId, perTask: false, ct);
                if (watch.Replay is null) { _watches.TryRemove(runId, out _); return null; }
                watch.Refreshed = now;
            }
            else if (!watch.Final && now - watch.Refreshed >= MaxAge)
            {
                await watch.Replay.RefreshAsync(history, ct);
                watch.Refreshed = now;
            }
            var view = RunViews.Of(watch.Replay, now);
            // A finished run changes no more once its record says so: stop reading it.
            watch.Final = watch.Replay.FromRecord || (watch.Replay.FinishedAt is not null && watch.Replay.Record.Outcome != RunRecord.Running);
            return view;
        }
        finally { watch.Gate.Release(); }
    }

    private sealed class Watch(string id)
    {
        public string Id { get; } = id;
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public RunReplay? Replay { get; set; }
        public DateTimeOffset Refreshed { get; set; }
        public bool Final { get; set; }
    }
}
