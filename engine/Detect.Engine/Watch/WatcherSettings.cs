namespace Detect.Engine.Watch;

/// <summary>What a <see cref="TriggerWatcher"/> watches for and how often; <see cref="Validate"/> names the first bad value.</summary>
public sealed record WatcherSettings
{
    /// <summary>Glob of trigger keys relative to the watched prefix.</summary>
    public string Pattern { get; init; } = "*raw.csv";

    /// <summary>The longest sleep between polls (reached after idle polls, doubling from <see cref="MinInterval"/>).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(15);

    public TimeSpan MinInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Rows (task runs) at once, over all triggers this watcher holds.</summary>
    public int MaxConcurrentRuns { get; init; } = 1;

    /// <summary>A claim not renewed for this long belongs to a dead watcher; another takes it over.</summary>
    public TimeSpan ClaimTtl { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>One poll: claim and process what it lists, then stop (for cron).</summary>
    public bool Once { get; init; }

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Pattern)) throw new ArgumentException("--pattern must not be empty (e.g. '*raw.csv').", nameof(Pattern));
        if (MinInterval <= TimeSpan.Zero) throw new ArgumentException($"--min-interval must be positive, got {MinInterval}.", nameof(MinInterval));
        if (Interval < MinInterval) throw new ArgumentException($"--interval ({Interval}) must be at least --min-interval ({MinInterval}).", nameof(Interval));
        if (MaxConcurrentRuns < 1) throw new ArgumentException($"--max-concurrent-runs must be at least 1, got {MaxConcurrentRuns}.", nameof(MaxConcurrentRuns));
        if (ClaimTtl <= TimeSpan.Zero) throw new ArgumentException($"--lease-ttl must be positive, got {ClaimTtl}.", nameof(ClaimTtl));
    }
}
