namespace Detect.Engine.Storage.S3;

/// <summary>
/// Runs one S3 request with retries: exponential backoff with jitter on 5xx, throttling and connection
/// errors; any other failure, or the last attempt's, becomes a <see cref="StoreException"/>. Cancellation
/// by the caller's token propagates as <see cref="OperationCanceledException"/>. Counts every attempt.
/// </summary>
internal sealed class S3Retry(S3Settings settings)
{
    private long _requests;

    /// <summary>HTTP requests sent so far (every attempt counts).</summary>
    public long RequestCount => Interlocked.Read(ref _requests);

    public async Task<T> RunAsync<T>(S3Call call, Func<CancellationToken, Task<T>> request, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                Interlocked.Increment(ref _requests);
                return await request(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e) when (e is not StoreException)
            {
                if (attempt >= settings.MaxAttempts || !S3Errors.IsTransient(e))
                    throw S3Errors.Translate(e, call, attempt);
                await Task.Delay(Backoff(attempt), ct).ConfigureAwait(false);
            }
        }
    }

    public Task RunAsync(S3Call call, Func<CancellationToken, Task> request, CancellationToken ct) =>
        RunAsync<bool>(call, async t => { await request(t).ConfigureAwait(false); return true; }, ct);

    /// <summary>"Equal jitter": half the exponential delay fixed, half random, capped.</summary>
    internal TimeSpan Backoff(int attempt)
    {
        var exponential = settings.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
        var capped = Math.Min(exponential, settings.RetryMaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped / 2 + Random.Shared.NextDouble() * capped / 2);
    }
}
