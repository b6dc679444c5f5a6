using Detect.Engine.Scheduling.Events;

namespace Detect.Engine.Scheduling;

public sealed record SchedulerOptions
{
    /// <summary>How many tasks run at once.</summary>
    public int Workers { get; init; } = 1;

    /// <summary>Extra attempts after a failure, with exponential backoff from <see cref="RetryDelay"/>.</summary>
    public int Retries { get; init; }

    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Time limit for one attempt of a task that sets none itself.</summary>
    public TimeSpan? DefaultTimeout { get; init; }

    /// <summary>Capacities of named resources (unlisted ones: 1).</summary>
    public IReadOnlyDictionary<string, int> ResourceLimits { get; init; } = new Dictionary<string, int>();

    /// <summary>Run only the requested task; its requirements must already be complete.</summary>
    public bool NoDeps { get; init; }

    /// <summary>Leases keep two processes from running one task at once.</summary>
    public bool UseLeases { get; init; } = true;

    public TimeSpan LeaseTtl { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The longest wait before asking again for a task whose lease another process holds (the first retries come
    /// sooner: a quarter of this, doubling). Meanwhile this process runs other ready tasks, and looks at the
    /// outputs of the tasks it waits for (one listing per folder) this often.
    /// </summary>
    public TimeSpan LeasePoll { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Where outputs are staged before publication. Default: beside a local store (<c>.detect/staging</c>, so
    /// publishing is a rename), else the system temp folder.
    /// </summary>
    public string? StagingDirectory { get; init; }

    /// <summary>How often progress is logged when stderr is not a terminal.</summary>
    public TimeSpan ProgressLogInterval { get; init; } = TimeSpan.FromSeconds(10);

    public bool LiveProgress { get; init; }

    /// <summary>The clock for durations, backoffs, time limits, lease expiry and event times (tests use a fake one).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Who hears about the run: history, notifications, status pages (the console log is always there).</summary>
    public IReadOnlyList<ISchedulerObserver> Observers { get; init; } = [];

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        static void Check(bool ok, string name, object value, string rule)
        {
            if (!ok) throw new ArgumentException($"SchedulerOptions.{name} must be {rule}, got {value}.", name);
        }
        Check(Workers >= 1, nameof(Workers), Workers, "at least 1");
        Check(Retries >= 0, nameof(Retries), Retries, "0 or more");
        Check(RetryDelay >= TimeSpan.Zero, nameof(RetryDelay), RetryDelay, "0 or more");
        Check(MaxRetryDelay >= RetryDelay, nameof(MaxRetryDelay), MaxRetryDelay, "at least RetryDelay");
        Check(DefaultTimeout is null || DefaultTimeout > TimeSpan.Zero, nameof(DefaultTimeout), DefaultTimeout!, "positive");
        Check(LeaseTtl > TimeSpan.Zero, nameof(LeaseTtl), LeaseTtl, "positive");
        Check(LeasePoll > TimeSpan.Zero, nameof(LeasePoll), LeasePoll, "positive");
        Check(ProgressLogInterval > TimeSpan.Zero, nameof(ProgressLogInterval), ProgressLogInterval, "positive");
        foreach (var (name, capacity) in ResourceLimits)
            Check(capacity >= 1, nameof(ResourceLimits), $"{name}={capacity}", "at least 1 per resource");
    }
}
