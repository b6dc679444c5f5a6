using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Detect.Tasks.Analysis.Geocoding;

public sealed record NominatimOptions
{
    /// <summary>Base URL of a Nominatim-compatible service; <c>/reverse</c> is appended.</summary>
    public required string BaseUrl { get; init; }
    /// <summary>Sent with every request, as Nominatim's usage policy requires.</summary>
    public string UserAgent { get; init; } = "Detect/1.0 (plastic-waste site detection; https://github.com/earthrise-media)";
    /// <summary>Responses are cached here (one JSON file per position); null disables the cache.</summary>
    public string? CacheDirectory { get; init; }
    /// <summary>Minimum time between two requests (Nominatim's policy: at most 1 per second).</summary>
    public TimeSpan MinInterval { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Nominatim zoom level (10 = city).</summary>
    public int Zoom { get; init; } = 10;
}

/// <summary>
/// Reverse geocoding through a Nominatim-compatible HTTP service, cached on disk and rate limited. Any failure
/// (network, timeout, HTTP error, unparsable answer) logs a warning and returns the offline answer; it never throws
/// except for cancellation requested by the caller.
/// </summary>
public sealed class NominatimGeocoder : IReverseGeocoder, IDisposable
{
    private readonly NominatimOptions _options;
    private readonly IReverseGeocoder _fallback;
    private readonly ILogger _logger;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan? _lastRequest;

    /// <param name="fallback">Answers when the service cannot (normally an <see cref="OfflineGeocoder"/>).</param>
    /// <param name="httpClient">Optional client (its handler pipeline is used as is); by default one is created.</param>
    public NominatimGeocoder(NominatimOptions options, IReverseGeocoder fallback, ILogger? logger = null, HttpClient? httpClient = null)
    {
        if (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            throw new ArgumentException($"Geocoder URL '{options.BaseUrl}' is not an absolute http(s) URL; pass e.g. --geocoder-url https://nominatim.openstreetmap.org.");
        _options = options;
        _fallback = fallback;
        _logger = logger ?? NullLogger.Instance;
        _ownsHttp = httpClient is null;
        _http = httpClient ?? new HttpClient();
        if (options.CacheDirectory is not null) Directory.CreateDirectory(options.CacheDirectory);
    }

    public async Task<GeocodeResult> ReverseAsync(double lat, double lon, CancellationToken cancellationToken = default)
    {
        string url = RequestUrl(lat, lon);
        try
        {
            string? json = ReadCache(url) ?? await FetchAsync(url, cancellationToken);
            var result = Parse(json);
            if (result is null)
            {
                _logger.LogInformation("Nominatim has no address for {Lat}, {Lon}; using the offline gazetteer", lat, lon);
                return await _fallback.ReverseAsync(lat, lon, cancellationToken);
            }
            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            _logger.LogWarning("Nominatim reverse geocoding failed for {Lat}, {Lon} ({Error}); using the offline gazetteer", lat, lon, e.Message);
            return await _fallback.ReverseAsync(lat, lon, cancellationToken);
        }
    }

    private string RequestUrl(double lat, double lon) => string.Create(CultureInfo.InvariantCulture,
        $"{_options.BaseUrl.TrimEnd('/')}/reverse?format=jsonv2&lat={lat:0.######}&lon={lon:0.######}&zoom={_options.Zoom}&addressdetails=1");

    private async Task<string> FetchAsync(string url, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_lastRequest is { } last)
            {
                var wait = last + _options.MinInterval - _clock.Elapsed;
                if (wait > TimeSpan.Zero) await Task.Delay(wait, cancellationToken);
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.Timeout);
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.UserAgent.ParseAdd(_options.UserAgent);
            request.Headers.Accept.ParseAdd("application/json");
            string body;
            try
            {
                using var response = await _http.SendAsync(request, timeout.Token);
                body = await response.Content.ReadAsStringAsync(timeout.Token);
                if (!response.IsSuccessStatusCode) throw new HttpRequestException($"HTTP {(int)response.StatusCode} from {url}");
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"no answer from {url} within {_options.Timeout.TotalSeconds:0.#} s");
            }
            Parse(body); // only well-formed answers are cached
            WriteCache(url, body);
            return body;
        }
        finally
        {
            // spacing is measured from the end of the previous exchange, so the next request can never leave the
            // client less than MinInterval after the previous one did, whatever happens in between
            _lastRequest = _clock.Elapsed;
            _gate.Release();
        }
    }

    /// <summary>The address of a jsonv2 reverse answer, or null for Nominatim's "Unable to geocode".</summary>
    internal static GeocodeResult? Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new FormatException("Nominatim answer is not a JSON object");
        if (root.TryGetProperty("error", out _)) return null;
        if (!root.TryGetProperty("address", out var address) || address.ValueKind != JsonValueKind.Object)
            throw new FormatException("Nominatim answer has no address");
        string? Field(params string[] names)
        {
            foreach (var n in names)
                if (address.TryGetProperty(n, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s) return s;
            return null;
        }
        string? city = Field("city", "town", "village", "hamlet", "municipality", "suburb");
        return new GeocodeResult(
            Country: Field("country"),
            CountryCode: Field("country_code")?.ToUpperInvariant(),
            State: Field("state", "region", "province"),
            City: city,
            NearestPlace: city ?? Field("county"),
            DistanceKm: null,
            Source: "nominatim",
            DisplayName: root.TryGetProperty("display_name", out var d) ? d.GetString() : null);
    }

    private string CachePath(string url) =>
        Path.Combine(_options.CacheDirectory!, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url)))[..32] + ".json");

    private string? ReadCache(string url)
    {
        if (_options.CacheDirectory is null) return null;
        string path = CachePath(url);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }

    private void WriteCache(string url, string body)
    {
        if (_options.CacheDirectory is null) return;
        string path = CachePath(url), tmp = path + ".tmp-" + Guid.NewGuid().ToString("N");
        File.WriteAllText(tmp, body);
        File.Move(tmp, path, overwrite: true);
    }

    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
        _gate.Dispose();
    }
}
