using System.Net;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Detect.Engine.History;
using Detect.Engine.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Detect.Engine.Web;

/// <summary>
/// The read-only status site of one store on Kestrel: the run list, a page per run (counts by state and family,
/// progress with ETA, the graph by family, failed tasks with their errors and log tails) updated live by
/// server-sent events. Every asset is served from this assembly. With a token, every request must carry it
/// (<c>?token=</c> once — kept in a cookie — or <c>Authorization: Bearer</c>).
/// </summary>
public sealed class StatusServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StatusServer(WebApplication app) => _app = app;

    /// <summary>Cancelled when the server is told to stop (SIGTERM, Ctrl-C: the host's console lifetime catches them).</summary>
    public CancellationToken Stopping => _app.Lifetime.ApplicationStopping;

    /// <summary>The address it listens on, e.g. <c>http://127.0.0.1:8080/</c> (the real port when 0 was asked for).</summary>
    public Uri Address { get; private set; } = null!;

    public static async Task<StatusServer> StartAsync(IObjectStore store, ServeSettings settings, ILoggerFactory? logging = null, TimeProvider? time = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (logging is not null) builder.Services.AddSingleton(logging);
        builder.WebHost.ConfigureKestrel(k => k.Listen(settings.Bind, settings.Port));
        var app = builder.Build();
        var clock = time ?? TimeProvider.System;
        var history = new RunHistory(store);
        var watchers = new RunWatchers(history, clock);

        if (settings.Token is { Length: > 0 } token) app.Use(TokenGate(token));
        app.MapGet("/", () => Asset("index.html"));
        app.MapGet("/runs/{id}", () => Asset("run.html"));
        app.MapGet("/assets/{name}", (string name) => Asset(name));
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/api/runs", async (int? limit, CancellationToken ct) =>
        {
            var now = clock.GetUtcNow();
            var runs = (await history.ListAsync(Math.Clamp(limit ?? 100, 1, 1000), ct)).Select(r => RunViews.Summary(r, now)).ToList();
            return Results.Json(runs, WebJson.Default.ListRunSummaryView);
        });
        app.MapGet("/api/runs/{id}", async (string id, CancellationToken ct) =>
            await watchers.ViewAsync(id, ct) is { } view ? Results.Json(view, WebJson.Default.RunView) : Results.NotFound($"No run {id} in {store.Uri}."));
        app.MapGet("/api/runs/{id}/stream", (string id, CancellationToken ct) =>
            TypedResults.ServerSentEvents(Updates(watchers, id, clock, ct), "update"));
        app.MapGet("/api/runs/{id}/log", async (string id, string task, CancellationToken ct) =>
        {
            if (!Scheduling.RunIds.IsValid(id) || task.Contains('/') || task.Contains("..")) return Results.BadRequest("Bad run id or task id.");
            return Results.Text(await history.ReadLogTailAsync(id, task, 64 * 1024, ct), "text/plain; charset=utf-8");
        });

        await app.StartAsync();
        var server = new StatusServer(app);
        var address = app.Urls.First();
        server.Address = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    /// <summary>The run's view each time it changes (checked twice a second), until the run has finished.</summary>
    private static async IAsyncEnumerable<string> Updates(RunWatchers watchers, string id, TimeProvider clock, [EnumeratorCancellation] CancellationToken ct)
    {
        string? last = null;
        var lastSent = DateTimeOffset.MinValue;
        while (!ct.IsCancellationRequested)
        {
            var view = await watchers.ViewAsync(id, ct);
            if (view is null) yield break;
            var json = System.Text.Json.JsonSerializer.Serialize(view with { GeneratedAt = default }, WebJson.Default.RunView);
            var now = clock.GetUtcNow();
            if (json != last || now - lastSent > TimeSpan.FromSeconds(15)) // changed, or a keep-alive for proxies
            {
                last = json;
                lastSent = now;
                yield return System.Text.Json.JsonSerializer.Serialize(view, WebJson.Default.RunView);
            }
            if (view.State is not ("running")) yield break;
            try { await Task.Delay(RunWatchers.MaxAge, clock, ct); }
            catch (OperationCanceledException) { yield break; }
        }
    }

    private static IResult Asset(string name)
    {
        var stream = typeof(StatusServer).Assembly.GetManifestResourceStream("wwwroot/" + name);
        if (stream is null) return Results.NotFound();
        var type = Path.GetExtension(name) switch
        {
            ".html" => "text/html; charset=utf-8", ".js" => "text/javascript; charset=utf-8", ".css" => "text/css; charset=utf-8",
            ".svg" => "image/svg+xml", _ => "application/octet-stream",
        };
        return Results.Stream(stream, type);
    }

    private static Func<HttpContext, RequestDelegate, Task> TokenGate(string token)
    {
        var expected = Encoding.UTF8.GetBytes(token);
        bool Matches(string? given) => given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), expected);
        return async (context, next) =>
        {
            var request = context.Request;
            var bearer = request.Headers.Authorization.ToString() is var h && h.StartsWith("Bearer ", StringComparison.Ordinal) ? h[7..] : null;
            if (Matches(request.Query["token"]))
            {
                context.Response.Cookies.Append("detect_token", token, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/" });
                await next(context);
                return;
            }
            if (Matches(bearer) || Matches(request.Cookies["detect_token"])) { await next(context); return; }
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await context.Response.WriteAsync("This status site needs its token: open it with ?token=... (see `detect serve --token`).");
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>Where <c>detect serve</c> listens, and its token.</summary>
public sealed record ServeSettings(IPAddress Bind, int Port, string? Token);
