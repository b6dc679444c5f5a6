using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Detect.Engine.History;
using Detect.Engine.Tests.History;
using Detect.Engine.Tests.Storage.S3;
using Detect.Engine.Web;

namespace Detect.Engine.Tests.Web;

/// <summary>detect serve over HTTP: binding rules, the token, the JSON API, server-sent updates, log tails.</summary>
public sealed class ServeTests : IDisposable
{
    private readonly TempStore _env = new();
    public void Dispose()
    {
        StepHooks.Clear(_env.Scope);
        _env.Dispose();
    }

    [Theory]
    [InlineData(new[] { "--bind", "0.0.0.0" }, "--bind 0.0.0.0 makes the pages reachable from other machines; give --token")]
    [InlineData(new[] { "--bind", "everywhere" }, "--bind 'everywhere' is not an IP address")]
    [InlineData(new[] { "--port", "70000" }, "--port must be 0..65535")]
    public async Task Bad_serve_options_are_usage_errors(string[] args, string message)
    {
        var (code, _, err) = await CliRunner.RunAsync(_env, ["serve", .. args]);
        code.Should().Be(2);
        err.Should().Contain(message);
    }

    [Fact]
    public async Task Serve_runs_as_a_command_on_a_free_port_and_stops_on_sigterm()
    {
        using var serve = HostProcess.Start(_env.Root, null, "serve", "--port", "0", "--store", _env.Store.Root);
        var deadline = DateTime.UtcNow.AddMinutes(1);
        System.Text.RegularExpressions.Match address;
        while (!(address = System.Text.RegularExpressions.Regex.Match(serve.Stdout, @"at (http://127\.0\.0\.1:\d+/)")).Success)
        {
            serve.HasExited.Should().BeFalse(serve.Output);
            DateTime.UtcNow.Should().BeBefore(deadline, serve.Output);
            await Task.Delay(50);
        }
        using var http = new HttpClient { BaseAddress = new Uri(address.Groups[1].Value) };
        (await http.GetStringAsync("healthz")).Should().Be("ok");
        (await http.PostAsync("api/runs", null)).StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed, "read-only");

        serve.Terminate();

        (await serve.WaitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, serve.Output);
    }

    [Fact]
    public async Task With_a_token_every_request_needs_it_once_in_the_url_then_the_cookie_or_a_bearer_header()
    {
        await using var server = await StatusServer.StartAsync(_env.Store, new ServeSettings(IPAddress.Loopback, 0, "s3cr3t-tok"));
        using var http = new HttpClient(new HttpClientHandler { UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = server.Address };

        (await http.GetAsync("api/runs")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await http.GetAsync("api/runs?token=wrong")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await http.GetAsync("?token=s3cr3t-tok")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await http.GetAsync("api/runs")).StatusCode.Should().Be(HttpStatusCode.OK, "the cookie set by the first visit");

        using var other = new HttpClient { BaseAddress = server.Address };
        other.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "s3cr3t-tok");
        (await other.GetAsync("api/runs")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_api_describes_a_finished_run_and_serves_every_asset_itself()
    {
        (await CliRunner.RunAsync(_env, "run", nameof(WideWithFailure), "--scope", _env.Scope, "--count", "30", "--workers", "2")).Code.Should().Be(1);
        var runId = (await new RunHistory(_env.Store).RunIdsAsync()).Single();
        await using var server = await StatusServer.StartAsync(_env.Store, new ServeSettings(IPAddress.Loopback, 0, null));
        using var http = new HttpClient { BaseAddress = server.Address };

        var runs = JsonDocument.Parse(await http.GetStringAsync("api/runs")).RootElement;
        runs.GetArrayLength().Should().Be(1);
        runs[0].GetProperty("state").GetString().Should().Be("failed");
        var view = JsonDocument.Parse(await http.GetStringAsync($"api/runs/{runId}")).RootElement;
        view.GetProperty("totals").GetProperty("done").GetInt32().Should().Be(32);
        view.GetProperty("totals").GetProperty("failed").GetInt32().Should().Be(1);
        view.GetProperty("totals").GetProperty("upstreamFailed").GetInt32().Should().Be(1);
        view.GetProperty("progress").GetProperty("percent").GetDouble().Should().Be(100);
        view.GetProperty("families").EnumerateArray().Select(f => f.GetProperty("family").GetString())
            .Should().BeEquivalentTo([nameof(LoudFailure), nameof(SlowProgress), nameof(TracedJoin), nameof(TracedStep), nameof(WideWithFailure)]);
        var failed = view.GetProperty("failed")[0];
        failed.GetProperty("error").GetString().Should().Be("InvalidDataException: reference table is empty: nothing to compare with");
        var log = await http.GetStringAsync($"api/runs/{runId}/log?task={Uri.EscapeDataString(failed.GetProperty("task").GetString()!)}");
        log.Should().Contain($"INFO  reading the reference table for {_env.Scope}");

        (await http.GetAsync($"api/runs/{runId}/log?task=..%2F..%2Fetc")).StatusCode.Should().Be(HttpStatusCode.BadRequest);

        // A finished run is shown from its final record, without its event log (instant for 100,000 tasks).
        Directory.Delete(_env.PathOf(RunHistoryLayout.EventsPrefix(runId)), recursive: true);
        await using (var fresh = await StatusServer.StartAsync(_env.Store, new ServeSettings(IPAddress.Loopback, 0, null)))
        using (var again = new HttpClient { BaseAddress = fresh.Address })
        {
            var fromRecord = JsonDocument.Parse(await again.GetStringAsync($"api/runs/{runId}")).RootElement;
            fromRecord.GetProperty("totals").GetProperty("done").GetInt32().Should().Be(32);
            fromRecord.GetProperty("failed")[0].GetProperty("error").GetString().Should().Contain("reference table is empty");
        }
        (await http.GetAsync("api/runs/01ARZ3NDEKTSV4RRFFQ69G5FAV")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        foreach (var asset in new[] { "", $"runs/{runId}", "assets/app.css", "assets/common.js", "assets/graph.js", "assets/run.js", "assets/runs.js" })
        {
            var response = await http.GetAsync(asset);
            response.StatusCode.Should().Be(HttpStatusCode.OK, asset);
            var body = await response.Content.ReadAsStringAsync();
            body.Should().NotContain("http://").And.NotContain("https://", $"{asset} loads nothing from elsewhere (no CDN)");
        }
    }

    [Fact]
    public async Task Server_sent_events_follow_a_run_as_it_goes_and_end_when_it_has_finished()
    {
        var release = new TaskCompletionSource();
        StepHooks.Set(_env.Scope, index => index == 2 ? release.Task : Task.CompletedTask);
        var run = Task.Run(() => CliRunner.RunAsync(_env, "run", nameof(TracedJoin), "--scope", _env.Scope, "--count", "4", "--chain"));
        var history = new RunHistory(_env.Store);
        string? runId = null;
        while (runId is null) { runId = (await history.RunIdsAsync()).FirstOrDefault(); await Task.Delay(50); }
        await using var server = await StatusServer.StartAsync(_env.Store, new ServeSettings(IPAddress.Loopback, 0, null));
        using var http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(1) };

        using var stream = await http.GetStreamAsync($"api/runs/{runId}/stream");
        using var reader = new StreamReader(stream);
        var done = new List<int>();
        var states = new List<string>();
        string? line;
        while ((line = await reader.ReadLineAsync()) is not null)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal)) continue;
            var view = JsonDocument.Parse(line["data: ".Length..]).RootElement;
            done.Add(view.GetProperty("totals").GetProperty("done").GetInt32());
            states.Add(view.GetProperty("state").GetString()!);
            if (done[^1] == 2) release.TrySetResult(); // s0 and s1 done, s2 held back: now let it go
        }

        (await run).Code.Should().Be(0);
        done.Should().BeInAscendingOrder().And.Contain(2).And.EndWith(5);
        states[^1].Should().Be("succeeded", "the stream ends with the finished run");
        states.Should().Contain("running");
    }
}
