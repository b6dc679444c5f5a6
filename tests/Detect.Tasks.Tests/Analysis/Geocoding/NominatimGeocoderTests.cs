using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Detect.Tasks.Analysis.Geocoding;
using Microsoft.Extensions.Logging;

namespace Detect.Tasks.Tests.Analysis.Geocoding;

/// <summary>A real HTTP server on 127.0.0.1 that answers like Nominatim's /reverse, chosen by the request's latitude.</summary>
internal sealed class FakeNominatimServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    public string BaseUrl { get; }
    public ConcurrentQueue<(string PathAndQuery, string? UserAgent)> Requests { get; } = new();

    public FakeNominatimServer()
    {
        int port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(BaseUrl + "/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    internal static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try { ctx = await _listener.GetContextAsync(); } catch { return; }
            _ = Task.Run(() => Answer(ctx));
        }
    }

    private async Task Answer(HttpListenerContext ctx)
    {
        Requests.Enqueue((ctx.Request.Url!.PathAndQuery, ctx.Request.UserAgent));
        double lat = double.Parse(ctx.Request.QueryString["lat"] ?? "0", CultureInfo.InvariantCulture);
        int status = 200;
        string body;
        switch ((int)Math.Floor(lat))
        {
            case 1:
                body = """{"place_id":1,"lat":"1.5","lon":"30.5","display_name":"Kampala, Central Region, Uganda","address":{"city":"Kampala","state":"Central Region","country":"Uganda","country_code":"ug"}}""";
                break;
            case 2: status = 500; body = "internal error"; break;
            case 3: await Task.Delay(3000); body = "{}"; break;
            case 4: body = """{"error":"Unable to geocode"}"""; break;
            case 5: body = "<html>not json</html>"; break;
            default:
                body = $$$"""{"display_name":"somewhere","address":{"village":"V{{{lat.ToString(CultureInfo.InvariantCulture)}}}","country":"Testland","country_code":"tl"}}""";
                break;
        }
        var bytes = Encoding.UTF8.GetBytes(body);
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        try { await ctx.Response.OutputStream.WriteAsync(bytes); ctx.Response.Close(); } catch { /* client gave up */ }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try { _loop.Wait(2000); } catch { }
    }
}

/// <summary>Records when each request leaves the client (after the rate limiter), on a monotonic clock.</summary>
internal sealed class SendTimeRecorder : DelegatingHandler
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    public ConcurrentQueue<TimeSpan> SendTimes { get; } = new();
    public SendTimeRecorder() : base(new HttpClientHandler()) { }
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        SendTimes.Enqueue(_clock.Elapsed);
        return base.SendAsync(request, cancellationToken);
    }
}

internal sealed class ListLogger : ILogger
{
    public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    public bool IsEnabled(LogLevel logLevel) => true;
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((logLevel, formatter(state, exception)));
}

public sealed class NominatimGeocoderTests : IDisposable
{
    private readonly FakeNominatimServer _server = new();
    private readonly TestGazetteer _files = new();
    private readonly OfflineGeocoder _offline;
    private readonly string _cache = Directory.CreateTempSubdirectory("nominatim-cache-").FullName;
    private readonly ListLogger _log = new();

    public NominatimGeocoderTests() => _offline = OfflineGeocoder.Load(_files.Directory);

    public void Dispose()
    {
        _server.Dispose();
        _files.Dispose();
        Directory.Delete(_cache, recursive: true);
    }

    private NominatimGeocoder Geocoder(TimeSpan? interval = null, TimeSpan? timeout = null, HttpClient? http = null, string? baseUrl = null) => new(
        new NominatimOptions
        {
            BaseUrl = baseUrl ?? _server.BaseUrl, CacheDirectory = _cache, UserAgent = "DetectTests/1.0",
            MinInterval = interval ?? TimeSpan.FromMilliseconds(50), Timeout = timeout ?? TimeSpan.FromSeconds(5),
        }, _offline, _log, http);

    [Fact]
    public async Task Maps_the_address_and_sends_a_user_agent()
    {
        using var g = Geocoder();
        var r = await g.ReverseAsync(1.5, 30.5);
        r.Should().Be(new GeocodeResult("Uganda", "UG", "Central Region", "Kampala", "Kampala", null, "nominatim", "Kampala, Central Region, Uganda"));
        _server.Requests.Should().ContainSingle();
        var (path, agent) = _server.Requests.Single();
        agent.Should().Be("DetectTests/1.0");
        path.Should().StartWith("/reverse?format=jsonv2&lat=1.5&lon=30.5&zoom=10&addressdetails=1");
    }

    [Fact]
    public async Task Answers_are_cached_on_disk_across_instances()
    {
        using (var g = Geocoder()) { await g.ReverseAsync(1.5, 30.5); await g.ReverseAsync(1.5, 30.5); }
        using (var g = Geocoder()) (await g.ReverseAsync(1.5, 30.5)).City.Should().Be("Kampala");
        _server.Requests.Should().HaveCount(1);
        Directory.GetFiles(_cache, "*.json").Should().HaveCount(1);
    }

    [Theory]
    [InlineData(2.5)] // HTTP 500
    [InlineData(5.5)] // not JSON
    public async Task Failures_fall_back_to_the_offline_answer_with_a_warning(double lat)
    {
        using var g = Geocoder();
        var r = await g.ReverseAsync(lat, 0.1);
        r.Should().Be(_offline.Reverse(lat, 0.1));
        _log.Entries.Should().Contain(e => e.Level == LogLevel.Warning && e.Message.Contains("using the offline gazetteer"));
        Directory.GetFiles(_cache).Should().BeEmpty("failures are not cached");
    }

    [Fact]
    public async Task A_timeout_falls_back_to_the_offline_answer()
    {
        using var g = Geocoder(timeout: TimeSpan.FromMilliseconds(300));
        var r = await g.ReverseAsync(3.5, 0.1);
        r.Source.Should().Be("offline");
        _log.Entries.Should().Contain(e => e.Level == LogLevel.Warning && e.Message.Contains("within 0.3 s"));
    }

    [Fact]
    public async Task An_unreachable_server_falls_back_to_the_offline_answer()
    {
        using var g = Geocoder(baseUrl: $"http://127.0.0.1:{FakeNominatimServer.FreePort()}");
        (await g.ReverseAsync(0.12, 0.12)).Should().Be(_offline.Reverse(0.12, 0.12));
        _log.Entries.Should().Contain(e => e.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task Unable_to_geocode_uses_the_offline_answer_without_a_warning()
    {
        using var g = Geocoder();
        (await g.ReverseAsync(4.5, 0.1)).Source.Should().Be("offline");
        _log.Entries.Should().NotContain(e => e.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task Requests_are_spaced_by_the_minimum_interval_even_when_issued_concurrently()
    {
        var interval = TimeSpan.FromMilliseconds(250);
        var recorder = new SendTimeRecorder();
        using var http = new HttpClient(recorder);
        using var g = Geocoder(interval: interval, http: http);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => g.ReverseAsync(10 + i, 5)));
        var times = recorder.SendTimes.OrderBy(t => t).ToList();
        times.Should().HaveCount(4);
        for (int i = 1; i < times.Count; i++) (times[i] - times[i - 1]).Should().BeGreaterThanOrEqualTo(interval);
        _server.Requests.Should().HaveCount(4);
    }

    [Fact]
    public void A_bad_url_is_rejected_with_the_option_name()
    {
        var act = () => new NominatimGeocoder(new NominatimOptions { BaseUrl = "nominatim.local" }, _offline);
        act.Should().Throw<ArgumentException>().WithMessage("*--geocoder-url*");
    }
}
