using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Detect.Tasks.Imagery.Stac;

/// <summary>
/// A STAC API client: the landing page, collections and item search (POST <c>/search</c>, every page followed by
/// its <c>next</c> link, <see cref="StacPaging"/>). Requests carry a User-Agent, each attempt has a time limit, and
/// 429, 5xx, connection errors and timeouts are retried with exponential backoff that honours Retry-After (Polly).
/// Failures are <see cref="ImageryException"/>s naming the URL and what the server said.
/// </summary>
public sealed class StacApiClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly StacApiOptions _options;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly ILogger _logger;
    private int _requests;

    public StacApiClient(Uri root, StacApiOptions? options = null, ILogger? logger = null, HttpMessageHandler? handler = null)
    {
        _options = options ?? new StacApiOptions();
        _options.Validate();
        _logger = logger ?? NullLogger.Instance;
        Root = new Uri(root.AbsoluteUri.TrimEnd('/') + "/");
        // Time limits come from the pipeline (per attempt); the client's own limit must not cut retries short.
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.Timeout = Timeout.InfiniteTimeSpan;
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(_options.UserAgent);
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/geo+json"));
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        _pipeline = BuildPipeline();
    }

    /// <summary>The API root, ending with '/'.</summary>
    public Uri Root { get; }

    /// <summary>HTTP requests sent so far, retries included.</summary>
    public int RequestCount => Volatile.Read(ref _requests);

    /// <summary>GET a JSON document (the landing page, a collection).</summary>
    public async Task<JsonDocument> GetAsync(Uri url, CancellationToken ct = default)
    {
        using var response = await SendAsync(new StacRequest(HttpMethod.Get, url, null), ct);
        return await ReadJsonAsync(response, HttpMethod.Get, url, ct);
    }

    /// <summary>
    /// The collection document; an unknown collection (404) is an error that lists the API's collections.
    /// </summary>
    public async Task<JsonDocument> GetCollectionAsync(string id, CancellationToken ct = default)
    {
        var url = new Uri(Root, "collections/" + Uri.EscapeDataString(id));
        using var response = await SendAsync(new StacRequest(HttpMethod.Get, url, null), ct, allowNotFound: true);
        if (response.StatusCode == HttpStatusCode.NotFound)
            throw new ImageryException($"STAC API {Root.AbsoluteUri.TrimEnd('/')} has no collection '{id}' ({url} answered 404). " +
                                       $"Its collections: {await ListCollectionsAsync(ct)}. Choose one with --collection / --cloud-collection.");
        return await ReadJsonAsync(response, HttpMethod.Get, url, ct);
    }

    private async Task<string> ListCollectionsAsync(CancellationToken ct)
    {
        try
        {
            using var doc = await GetAsync(new Uri(Root, "collections"), ct);
            var ids = doc.RootElement.GetProperty("collections").EnumerateArray()
                .Select(c => c.GetProperty("id").GetString()).Where(s => s is not null).ToList();
            return ids.Count == 0 ? "none" : string.Join(", ", ids);
        }
        catch (Exception e) when (e is ImageryException or KeyNotFoundException or InvalidOperationException)
        {
            return "(the list could not be read)";
        }
    }

    /// <summary>
    /// Every item of a search: POST <c>/search</c> with <paramref name="body"/>, then each next page as its link
    /// says, until a page is empty or has no next link. Items are returned as standalone JSON elements.
    /// </summary>
    public async Task<IReadOnlyList<JsonElement>> SearchAsync(JsonObject body, CancellationToken ct = default)
    {
        var items = new List<JsonElement>();
        StacRequest? request = new(HttpMethod.Post, new Uri(Root, "search"), body);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var page = 1; request is not null; page++)
        {
            if (page > _options.MaxPages)
                throw new ImageryException($"STAC search at {Root}search did not end after {_options.MaxPages} pages: narrow the dates or the region.");
            if (!seen.Add(request.Method + " " + request.Url + " " + request.Body?.ToJsonString()))
                throw new ImageryException($"STAC search at {request.Url} asked for the same page twice (its next link does not advance).");
            using var response = await SendAsync(request, ct);
            using var document = await ReadJsonAsync(response, request.Method, request.Url, ct);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
                throw new ImageryException($"STAC search {request.Method} {request.Url} answered JSON that is not an ItemCollection (no \"features\" array).");
            foreach (var feature in features.EnumerateArray()) items.Add(feature.Clone());
            request = StacPaging.Next(root, request);
        }
        return items;
    }

    private async Task<HttpResponseMessage> SendAsync(StacRequest request, CancellationToken ct, bool allowNotFound = false)
    {
        HttpResponseMessage response;
        try
        {
            response = await _pipeline.ExecuteAsync(async token =>
            {
                Interlocked.Increment(ref _requests);
                using var message = new HttpRequestMessage(request.Method, request.Url);
                if (request.Body is not null)
                    message.Content = new StringContent(request.Body.ToJsonString(), Encoding.UTF8, "application/json");
                var answer = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, token);
                return answer;
            }, ct);
        }
        catch (HttpRequestException e)
        {
            throw new ImageryException($"STAC API {request.Method} {request.Url} is unreachable after {_options.MaxAttempts} attempt(s): {e.Message}. " +
                                       "Check the --imagery URL and the network.", e);
        }
        catch (TimeoutRejectedException e)
        {
            throw new ImageryException($"STAC API {request.Method} {request.Url} did not answer within {_options.AttemptTimeout.TotalSeconds:0.#} s " +
                                       $"({_options.MaxAttempts} attempt(s)).", e);
        }
        if (response.IsSuccessStatusCode || allowNotFound && response.StatusCode == HttpStatusCode.NotFound) return response;
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            var snippet = text.Length > 300 ? text[..300] + "…" : text;
            var attempts = IsTransient(response) ? $" after {_options.MaxAttempts} attempt(s)" : "";
            throw new ImageryException($"STAC API {request.Method} {request.Url} answered {(int)response.StatusCode} {response.ReasonPhrase}{attempts}: {snippet.Trim()}");
        }
    }

    private static async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response, HttpMethod method, Uri url, CancellationToken ct)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync(ct);
        try { return JsonDocument.Parse(bytes); }
        catch (JsonException e)
        {
            var text = Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 120));
            throw new ImageryException($"STAC API {method} {url} answered malformed JSON ({e.Message}); it began: {text}", e);
        }
    }

    private static bool IsTransient(HttpResponseMessage r) => r.StatusCode == HttpStatusCode.TooManyRequests || (int)r.StatusCode >= 500;

    private ResiliencePipeline<HttpResponseMessage> BuildPipeline()
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = _options.TimeProvider };
        if (_options.MaxAttempts > 1)
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = _options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.RetryBaseDelay,
                MaxDelay = _options.MaxRetryDelay,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(IsTransient),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
                OnRetry = args =>
                {
                    var what = args.Outcome.Result is { } r ? $"{(int)r.StatusCode} {r.ReasonPhrase}" : args.Outcome.Exception?.Message;
                    _logger.LogWarning("STAC API: {What}; retry {Attempt} of {Retries} in {Delay:0.0}s",
                        what, args.AttemptNumber + 1, _options.MaxAttempts - 1, args.RetryDelay.TotalSeconds);
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            });
        builder.AddTimeout(_options.AttemptTimeout);
        return builder.Build();
    }

    /// <summary>The delay a Retry-After header asks for (seconds or an HTTP date), capped; null = the backoff's own.</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        if (response?.Headers.RetryAfter is not { } header) return null;
        var delay = header.Delta ?? (header.Date is { } date ? date - _options.TimeProvider.GetUtcNow() : null);
        if (delay is not { } d) return null;
        return d < TimeSpan.Zero ? TimeSpan.Zero : d > _options.MaxRetryDelay ? _options.MaxRetryDelay : d;
    }

    public void Dispose() => _http.Dispose();
}
