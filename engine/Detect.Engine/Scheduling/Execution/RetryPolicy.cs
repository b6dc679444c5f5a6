namespace Detect.Engine.Scheduling.Execution;

/// <summary>
/// Whether a failed attempt is tried again, and after how long: <see cref="SchedulerOptions.Retries"/> extra
/// attempts, exponential backoff from <see cref="SchedulerOptions.RetryDelay"/> capped at
/// <see cref="SchedulerOptions.MaxRetryDelay"/>. A missing external input or a failed dynamic dependency is not
/// retried: another attempt cannot change it.
/// </summary>
internal sealed class RetryPolicy(int retries, TimeSpan firstDelay, TimeSpan maxDelay)
{
    public static RetryPolicy From(SchedulerOptions options) => new(options.Retries, options.RetryDelay, options.MaxRetryDelay);

    /// <summary>The delay before attempt <paramref name="failedAttempt"/> + 1, or null when the task has failed for good.</summary>
    public TimeSpan? DelayAfter(int failedAttempt, Exception error)
    {
        if (failedAttempt > retries || error is MissingInputException or DependencyFailedException) return null;
        var doublings = Math.Min(failedAttempt - 1, 20);
        return TimeSpan.FromTicks(Math.Min(maxDelay.Ticks, firstDelay.Ticks * (1L << doublings)));
    }
}
