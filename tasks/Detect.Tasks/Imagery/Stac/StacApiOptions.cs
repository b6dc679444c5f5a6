namespace Detect.Tasks.Imagery.Stac;

/// <summary>How the STAC API client talks to a server: retries, timeouts, page size, identification.</summary>
public sealed record StacApiOptions
{
    public static readonly string DefaultUserAgent =
        $"Detect/{typeof(StacApiOptions).Assembly.GetName().Version?.ToString(3) ?? "1.0.0"} (Sentinel-2 plastic-site detection; STAC item search)";

    /// <summary>Attempts per request, the first included, for 429, 5xx, connection errors and timeouts.</summary>
    public int MaxAttempts { get; init; } = 3;
    /// <summary>First backoff delay (exponential, with jitter); a Retry-After header wins when it says more.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>Longest wait between attempts, Retry-After included.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Time limit of one attempt (connect, send, read the whole answer).</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Items per page asked for (<c>limit</c>).</summary>
    public int PageLimit { get; init; } = 100;
    /// <summary>Pages followed at most for one search, against a server that never stops paging.</summary>
    public int MaxPages { get; init; } = 1000;
    public string UserAgent { get; init; } = DefaultUserAgent;
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public void Validate()
    {
        if (MaxAttempts < 1) throw new ArgumentException($"MaxAttempts must be at least 1, not {MaxAttempts}.");
        if (PageLimit < 1) throw new ArgumentException($"PageLimit must be at least 1, not {PageLimit}.");
        if (AttemptTimeout <= TimeSpan.Zero) throw new ArgumentException("AttemptTimeout must be positive.");
        if (RetryBaseDelay < TimeSpan.Zero || MaxRetryDelay < RetryBaseDelay) throw new ArgumentException("Retry delays must be 0 ≤ base ≤ max.");
    }
}
