using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Detect.Bench;

/// <summary>
/// The store's static catalog served as a STAC API on 127.0.0.1 (landing, collection, POST /search in pages of
/// <c>limit</c> with Earth Search-style next links), so the benchmark times a real HTTP search and its paging.
/// No spatial or date filtering: every item is returned, which is what a tile of the synthetic catalog gets anyway.
/// </summary>
internal sealed class StaticStacApi : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly IReadOnlyList<JsonObject> _items;
    private readonly Task _loop;

    public StaticStacApi(IReadOnlyList<JsonObject> items, string collection)
    {
        _items = items;
        Collection = collection;
        using (var socket = new TcpListener(IPAddress.Loopback, 0))
        {
            socket.Start();
            Root = $"http://127.0.0.1:{((IPEndPoint)socket.LocalEndpoint).Port}";
        }
        _listener.Prefixes.Add(Root + "/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string Root { get; }
    public string Collection { get; }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) { return; }
            string body;
            using (var reader = new StreamReader(context.Request.InputStream)) body = await reader.ReadToEndAsync();
            var path = context.Request.Url!.AbsolutePath.TrimEnd('/');
            string answer;
            if (path == "/search")
            {
                var request = (JsonObject)JsonNode.Parse(body)!;
                var limit = request["limit"]?.GetValue<int>() ?? 10;
                var offset = request["next"] is { } n ? int.Parse(n.GetValue<string>()) : 0;
                var page = _items.Skip(offset).Take(limit).Select(i => (JsonNode)i.DeepClone()).ToArray();
                var links = new JsonArray();
                if (page.Length > 0)
                {
                    var next = (JsonObject)request.DeepClone();
                    next["next"] = (offset + page.Length).ToString();
                    links.Add(new JsonObject { ["rel"] = "next", ["method"] = "POST", ["merge"] = false, ["href"] = Root + "/search", ["body"] = next });
                }
                answer = new JsonObject { ["type"] = "FeatureCollection", ["features"] = new JsonArray(page), ["links"] = links }.ToJsonString();
            }
            else answer = new JsonObject { ["type"] = path.StartsWith("/collections/") ? "Collection" : "Catalog", ["id"] = Collection }.ToJsonString();
            var bytes = Encoding.UTF8.GetBytes(answer);
            context.Response.ContentType = "application/geo+json";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(2)); } catch (AggregateException) { }
    }
}
