using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Detect.Engine.Scheduling.Events;

/// <summary>
/// The console's view of a run: a line per task that took a second or more ("done X in 1.2s"; quicker ones,
/// "start" lines and lease waits at Debug), warnings for retries, errors for failures, and the run's own progress
/// (tasks done / to run, rate, ETA) as a live terminal line or a log line every
/// <see cref="SchedulerOptions.ProgressLogInterval"/>.
/// </summary>
internal sealed class LoggingObserver(ILogger logger, ProgressSink progressSink) : ISchedulerObserver
{
    /// <summary>Tasks that ran at least this long get a "done" line at Information.</summary>
    public static readonly TimeSpan NotableDuration = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, ProgressReporter> _progress = new(StringComparer.Ordinal);

    public void OnEvent(SchedulerEvent e)
    {
        switch (e)
        {
            case RunStarted s:
                logger.LogInformation("{ToRun} of {Tasks} task(s) to run for {Root}", s.ToRun, s.Tasks, s.RootTaskId);
                if (s.ToRun > 0) _progress[s.RunId] = new ProgressReporter("run " + s.RunId, s.ToRun, "tasks", progressSink, announce: false);
                break;
            case TaskScheduled { Planned: false } when _progress.TryGetValue(e.RunId, out var grown):
                grown.Grow(); // a dynamic requirement: one more task to run than the plan said
                break;
            case TaskStarted t:
                if (t.Attempt > 1) logger.LogInformation("start {Task} (attempt {Attempt})", t.TaskId, t.Attempt);
                else if (logger.IsEnabled(LogLevel.Debug)) logger.LogDebug("start {Task}", t.TaskId); // (the arguments cost an array: not for every task)
                break;
            case TaskSucceeded t:
                // Quiet by default: a line for tasks that took a while (or needed retries); the rest show in the
                // run's progress line, the summary and -v.
                var level = t.Duration >= NotableDuration || t.Attempts > 1 ? LogLevel.Information : LogLevel.Debug;
                if (logger.IsEnabled(level)) logger.Log(level, "done  {Task} in {Seconds:0.0}s", t.TaskId, t.Duration.TotalSeconds);
                Advance(e);
                break;
            case TaskCompletedElsewhere t:
                logger.LogInformation("{Task} was completed by another run", t.TaskId);
                Advance(e);
                break;
            case TaskWaitingForLease t:
                logger.LogDebug("{Task} is running in another process ({Owner}); doing other work meanwhile", t.TaskId, t.Holder);
                break;
            case TaskRetrying t:
                logger.LogWarning("retry {Task} in {Delay:0.0}s after: {Reason}", t.TaskId, t.Delay.TotalSeconds, t.Error);
                break;
            case TaskFailed t:
                logger.LogError("failed {Task}: {Reason}", t.TaskId, t.Error);
                Advance(e);
                break;
            case TaskUpstreamFailed t:
                logger.LogDebug("not running {Task}: {Dependency} failed", t.TaskId, t.FailedDependency);
                Advance(e);
                break;
            case TaskNotRun t:
                // Interrupted tasks are listed by the summary; a line each would flood the console after a Ctrl-C.
                logger.Log(t.Reason is Interruption.WhileRunning or Interruption.BeforeStart ? LogLevel.Debug : LogLevel.Warning,
                    "not running {Task}: {Reason}", t.TaskId, t.Reason);
                Advance(e);
                break;
            case RunFinished:
                if (_progress.TryRemove(e.RunId, out var progress)) progress.Dispose();
                break;
        }
    }

    private void Advance(SchedulerEvent e)
    {
        if (_progress.TryGetValue(e.RunId, out var progress)) progress.Advance();
    }
}
