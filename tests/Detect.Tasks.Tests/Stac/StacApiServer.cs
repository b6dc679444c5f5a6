using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Detect.Tasks.Geo.GeoJson;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;

namespace Detect.Tasks.Tests.Stac;

/// <summary>
/// A STAC API over real HTTP on 127.0.0.1, shaped like Earth Search (stac-server): <c>/</c>, <c>/collections</c>,
/// <c>/collections/{id}</c>, and POST <c>/search</c> with collections, intersects/bbox, datetime, limit and the query
/// extension on <c>eo:cloud_cover</c>; results newest first, paged by a <c>next</c> link whose body repeats the
/// request plus a <c>next</c> token (merge: false). Faults can be queued: 429 with Retry-After, 5xx, malformed JSON.
/// </summary>
public sealed class StacApiServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly ConcurrentQueue<Func<HttpListenerResponse, bool>> _searchFaults = new();

    public StacApiServer(int pageSize = 4)
    {
        PageSize = pageSize;
        var port = FreePort();
        Root = $"http://127.0.0.1:{port}/v1";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    /// <summary>The API root URL (no trailing slash), what --imagery takes.</summary>
    public string Root { get; }
    public int PageSize { get; }

    /// <summary>Items per collection id; replace or edit between runs to play a changing catalog.</summary>
    public ConcurrentDictionary<string, List<JsonObject>> Collections { get; } = new(StringComparer.Ordinal);

    /// <summary>Every request: method, path, body (for POST) and User-Agent.</summary>
    public ConcurrentQueue<(string Method, string Path, string Body, string UserAgent)> Requests { get; } = new();

    public int SearchRequests => Requests.Count(r => r.Path == "/v1/search");

    public void ThrottleNextSearch(int retryAfterSeconds) => _searchFaults.Enqueue(r =>
    {
        r.StatusCode = 429;
        r.AddHeader("Retry-After", retryAfterSeconds.ToString(CultureInfo.InvariantCulture));
        Write(r, "{\"message\":\"Too Many Requests\"}");
        return true;
    });

    public void FailNextSearches(int count, int status = 500)
    {
        for (var i = 0; i < count; i++)
            _searchFaults.Enqueue(r =>
            {
                r.StatusCode = status;
                Write(r, "{\"code\":\"InternalServerError\",\"description\":\"search backend unavailable\"}");
                return true;
            });
    }

    public void MalformNextSearch() => _searchFaults.Enqueue(r =>
    {
        Write(r, "{\"type\":\"FeatureCollection\",\"features\":[{\"id\": ");
        return true;
    });

    public void ClearFaults() => _searchFaults.Clear();

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) { return; }
            _ = Task.Run(() =>
            {
                try { Respond(context); }
                catch (Exception) { try { context.Response.Abort(); } catch (Exception) { } }
            });
        }
    }

    private void Respond(HttpListenerContext context)
    {
        var request = context.Request;
        var path = request.Url!.AbsolutePath.TrimEnd('/');
        string body;
        using (var reader = new StreamReader(request.InputStream, Encoding.UTF8)) body = reader.ReadToEnd();
        Requests.Enqueue((request.HttpMethod, path, body, request.UserAgent ?? ""));
        var response = context.Response;
        response.ContentType = "application/geo+json";
        switch (request.HttpMethod, path)
        {
            case ("GET", "/v1"): Write(response, Landing()); break;
            case ("GET", "/v1/collections"):
                Write(response, new JsonObject { ["collections"] = new JsonArray(Collections.Keys.Order().Select(c => (JsonNode)Collection(c)).ToArray()) }.ToJsonString());
                break;
            case ("GET", var p) when p.StartsWith("/v1/collections/", StringComparison.Ordinal) && !p[16..].Contains('/'):
                var id = Uri.UnescapeDataString(p[16..]);
                if (Collections.ContainsKey(id)) Write(response, Collection(id).ToJsonString());
                else { response.StatusCode = 404; Write(response, $"{{\"code\":\"NotFound\",\"description\":\"Collection {id} not found\"}}"); }
                break;
            case ("POST", "/v1/search"):
                if (_searchFaults.TryDequeue(out var fault) && fault(response)) break;
                Write(response, Search((JsonObject)JsonNode.Parse(body)!).ToJsonString());
                break;
            default:
                response.StatusCode = 404;
                Write(response, "{\"code\":\"NotFound\"}");
                break;
        }
    }

    private string Landing() => new JsonObject
    {
        ["type"] = "Catalog", ["id"] = "fixture", ["stac_version"] = "1.0.0", ["description"] = "Earth Search-shaped fixture",
        ["conformsTo"] = new JsonArray("https://api.stacspec.org/v1.0.0/core", "https://api.stacspec.org/v1.0.0/item-search",
            "https://api.stacspec.org/v1.0.0-rc.1/item-search#query"),
        ["links"] = new JsonArray(new JsonObject { ["rel"] = "search", ["href"] = Root + "/search", ["method"] = "POST" }),
    }.ToJsonString();

    private JsonObject Collection(string id) => new()
    {
        ["type"] = "Collection", ["id"] = id, ["stac_version"] = "1.0.0", ["license"] = "proprietary",
        ["links"] = new JsonArray(new JsonObject { ["rel"] = "self", ["href"] = $"{Root}/collections/{id}" }),
    };

    private JsonObject Search(JsonObject body)
    {
        var collections = body["collections"]?.AsArray().Select(c => c!.GetValue<string>()).ToList() ?? [.. Collections.Keys];
        Geometry? area = body["intersects"] is { } g ? GeoJsonReader.ReadArea(g.ToJsonString(), "intersects") : null;
        var prepared = area is null ? null : PreparedGeometryFactory.Prepare(area);
        var (from, to) = Interval(body["datetime"]?.GetValue<string>());
        double? maxCloud = body["query"]?["eo:cloud_cover"]?["lte"]?.GetValue<double>();
        var matches = collections.SelectMany(c => Collections.GetValueOrDefault(c) ?? [])
            .Where(item =>
            {
                // An item without a datetime (bad input for the client) matches every range.
                if (item["properties"]?["datetime"]?.GetValue<string>() is { } text)
                {
                    var datetime = DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
                    if (datetime < from || datetime > to) return false;
                }
                if (maxCloud is { } m && (item["properties"]!["eo:cloud_cover"]?.GetValue<double>() ?? 0) > m) return false;
                return prepared is null || prepared.Intersects(GeoJsonReader.ReadArea(item["geometry"]!.ToJsonString(), "item"));
            })
            .OrderByDescending(i => i["properties"]?["datetime"]?.GetValue<string>() ?? "", StringComparer.Ordinal)
            .ThenByDescending(i => i["id"]!.GetValue<string>(), StringComparer.Ordinal)
            .ToList();
        var limit = Math.Min(PageSize, body["limit"]?.GetValue<int>() ?? 10);
        var offset = body["next"] is { } next ? int.Parse(next.GetValue<string>(), CultureInfo.InvariantCulture) : 0;
        var page = matches.Skip(offset).Take(limit).Select(i => (JsonNode)i.DeepClone()).ToArray();
        var links = new JsonArray();
        // Like Earth Search, a next link can sit on the last non-empty page; the page after it is empty.
        if (page.Length > 0)
        {
            var nextBody = (JsonObject)body.DeepClone();
            nextBody["next"] = (offset + page.Length).ToString(CultureInfo.InvariantCulture);
            links.Add(new JsonObject { ["rel"] = "next", ["method"] = "POST", ["merge"] = false, ["href"] = Root + "/search", ["body"] = nextBody });
        }
        return new JsonObject
        {
            ["type"] = "FeatureCollection", ["features"] = new JsonArray(page), ["links"] = links,
            ["numberMatched"] = matches.Count, ["numberReturned"] = page.Length,
        };
    }

    private static (DateTimeOffset, DateTimeOffset) Interval(string? datetime)
    {
        if (datetime is null) return (DateTimeOffset.MinValue, DateTimeOffset.MaxValue);
        var parts = datetime.Split('/');
        DateTimeOffset Parse(string s, DateTimeOffset open) => s is "" or ".." ? open : DateTimeOffset.Parse(s, CultureInfo.InvariantCulture);
        return (Parse(parts[0], DateTimeOffset.MinValue), Parse(parts.Length > 1 ? parts[1] : parts[0], DateTimeOffset.MaxValue));
    }

    private static void Write(HttpListenerResponse response, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        response.ContentLength64 = bytes.Length;
        response.OutputStream.Write(bytes);
        response.Close();
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(2)); } catch (AggregateException) { }
    }
}
