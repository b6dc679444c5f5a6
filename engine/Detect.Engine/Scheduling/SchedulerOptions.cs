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
    public TimeSpan LeasePoll { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Where outputs are staged before publication (default: the system temp folder).</summary>
    public string? StagingDirectory { get; init; }

    /// <summary>How often progress is logged when stderr is not a terminal.</summary>
    public TimeSpan ProgressLogInterval { get; init; } = TimeSpan.FromSeconds(10);

    public bool LiveProgress { get; init; }
}
