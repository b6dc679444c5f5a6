using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Detect.Engine.Tests.Notifications;

/// <summary>A real HTTP endpoint on 127.0.0.1 that records what is POSTed to it; the first <c>failures</c> requests get a 500.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _failuresLeft;

    public ConcurrentQueue<(JsonElement Body, IHeaderDictionary Headers)> Received { get; } = new();
    private int _requests;

    public int Requests => Volatile.Read(ref _requests);

    private WebhookReceiver(WebApplication app, int failures) { _app = app; _failuresLeft = failures; }

    public Uri Url { get; private set; } = null!;

    public static async Task<WebhookReceiver> StartAsync(int failures = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, failures);
        app.MapPost("/hook/{secret}", async (HttpContext context) =>
        {
            Interlocked.Increment(ref receiver._requests);
            if (Interlocked.Decrement(ref receiver._failuresLeft) >= 0) return Results.StatusCode(500);
            var body = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body);
            receiver.Received.Enqueue((body, context.Request.Headers));
            return Results.Ok();
        });
        await app.StartAsync();
        receiver.Url = new Uri(app.Urls.First().TrimEnd('/') + "/hook/path-token-123");
        return receiver;
    }

    public async Task<List<JsonElement>> WaitForAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Received.Count < count && DateTime.UtcNow < deadline) await Task.Delay(50);
        return Received.Select(r => r.Body).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
