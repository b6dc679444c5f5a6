using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Detect.Engine.History;
using Detect.Engine.Scheduling;
using Detect.Engine.Scheduling.Events;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Detect.Engine.Notifications;

/// <summary>
/// <c>--notify URL</c>: POSTs a JSON summary to each URL when a run ends, and once at its first failure. Each POST
/// is retried (Polly: exponential backoff on connection errors, timeouts, 408/429/5xx) within a time limit; a
/// failing endpoint is logged as a warning and never fails the run. Nothing secret is sent: no credentials, no
/// environment, the command line and parameters with secrets masked; no authentication header is set.
/// </summary>
public sealed class WebhookNotifier : IFlushingObserver, IDisposable
{
    private readonly IReadOnlyList<Uri> _urls;
    private readonly HttpClient _http;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly ILogger _logger;
    private readonly string _store;
    private readonly List<Task> _pending = [];
    private readonly HashSet<string> _failureSent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RunStarted> _started = new(StringComparer.Ordinal);

    /// <param name="urls">Checked with <see cref="Validate"/> first.</param>
    public WebhookNotifier(IEnumerable<Uri> urls, string storeUri, ILogger? logger = null, WebhookOptions? options = null, TimeProvider? time = null)
    {
        var o = options ?? new WebhookOptions();
        _urls = urls.ToList();
        _store = Redaction.Text(storeUri);
        _logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        _http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("detect-notify/1");
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time ?? TimeProvider.System }
            .AddTimeout(o.TotalTimeout)
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = o.Retries,
                Delay = o.FirstRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(r => (int)r.StatusCode is 408 or 429 or >= 500),
            })
            .AddTimeout(o.AttemptTimeout)
            .Build();
    }

    /// <summary>The URL as a usage error would name it, or null when it can be used (http/https, no user:password@).</summary>
    public static string? Validate(string text, out Uri? url)
    {
        url = null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
            return $"--notify '{Redaction.Text(text)}' is not an http:// or https:// URL.";
        if (parsed.UserInfo.Length > 0)
            return "--notify URL must not contain user:password@ (nothing secret is ever sent); use a URL with its own token instead.";
        url = parsed;
        return null;
    }

    public void OnEvent(SchedulerEvent e)
    {
        switch (e)
        {
            case RunStarted s:
                lock (_started) _started[s.RunId] = s;
                break;
            case TaskFailed f:
                lock (_failureSent) if (!_failureSent.Add(f.RunId)) return;
                Send(new Notification
                {
                    Event = "first-failure", Run = f.RunId, Root = Root(f.RunId), Host = Environment.MachineName, Store = _store, Time = f.Time,
                    Task = f.TaskId, Family = f.Family, Error = Redaction.Text(f.Error),
                });
                break;
            case RunFinished r:
                var summary = r.Summary;
                Send(new Notification
                {
                    Event = "run-finished", Run = r.RunId, Root = summary.RootTaskId, Host = Environment.MachineName, Store = _store, Time = r.Time,
                    Outcome = r.Interrupted ? RunRecord.Interrupted : summary.RootComplete ? RunRecord.Succeeded : RunRecord.Failed,
                    Seconds = Math.Round(r.Duration.TotalSeconds, 3),
                    Counts = Enum.GetValues<TaskOutcome>().ToDictionary(o => Parameters.ParameterParsing.ToKebab(o.ToString()), summary.Count),
                    Failed = summary.With(TaskOutcome.Failed).Take(20).Select(f => new FailedTask(f.TaskId, f.Family, Redaction.Text(f.Reason ?? ""))).ToList(),
                    History = RunHistoryLayout.RecordKey(r.RunId),
                });
                break;
        }
    }

    /// <summary>Waits for the notifications of the run to be delivered or given up (within the time limit).</summary>
    public async Task FlushAsync(string runId, CancellationToken ct)
    {
        Task[] pending;
        lock (_pending) pending = [.. _pending];
        await Task.WhenAll(pending).WaitAsync(ct);
    }

    private string? Root(string runId)
    {
        lock (_started) return _started.TryGetValue(runId, out var s) ? s.RootTaskId : null;
    }

    private void Send(Notification notification)
    {
        foreach (var url in _urls)
        {
            var task = PostAsync(url, notification);
            lock (_pending) _pending.Add(task);
        }
    }

    private async Task PostAsync(Uri url, Notification notification)
    {
        var target = $"{url.Scheme}://{url.Authority}"; // logs name the host, not a path that may hold a token
        try
        {
            using var response = await _pipeline.ExecuteAsync(async ct =>
                await _http.PostAsJsonAsync(url, notification, NotificationJson.Default.Notification, ct), CancellationToken.None);
            if (!response.IsSuccessStatusCode)
                _logger.LogWarning("notify: {Url} answered {Status} to the {Event} notification; giving up", target, (int)response.StatusCode, notification.Event);
            else
                _logger.LogDebug("notify: {Event} sent to {Url}", notification.Event, target);
        }
        catch (Exception e)
        {
            _logger.LogWarning("notify: could not send the {Event} notification to {Url}: {Error} (the run is not affected)",
                notification.Event, target, e is TimeoutRejectedException ? "timed out" : e.Message);
        }
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>Retries and time limits of <see cref="WebhookNotifier"/>.</summary>
public sealed record WebhookOptions
{
    public int Retries { get; init; } = 3;
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan TotalTimeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>The JSON a notification carries.</summary>
public sealed record Notification
{
    public required string Event { get; init; }
    public required string Run { get; init; }
    public string? Root { get; init; }
    public required string Host { get; init; }
    public required string Store { get; init; }
    public DateTimeOffset Time { get; init; }
    public string? Task { get; init; }
    public string? Family { get; init; }
    public string? Error { get; init; }
    public string? Outcome { get; init; }
    public double? Seconds { get; init; }
    public Dictionary<string, int>? Counts { get; init; }
    public List<FailedTask>? Failed { get; init; }
    /// <summary>The key of the run record in the store.</summary>
    public string? History { get; init; }
}

public sealed record FailedTask(string Task, string Family, string Error);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Notification))]
internal sealed partial class NotificationJson : JsonSerializerContext;
