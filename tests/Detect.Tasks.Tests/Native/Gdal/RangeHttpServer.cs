using System.Net;
using System.Net.Sockets;

namespace Detect.Tasks.Tests.Native.Gdal;

/// <summary>
/// A minimal HTTP server for files in a folder, with the byte-range support GDAL's /vsicurl/ needs. A missing file is
/// 404; paths under <c>forbiddenPrefix</c> answer 403 as S3 does (XML AccessDenied). It counts the requests it served.
/// </summary>
public sealed class RangeHttpServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _root;
    private readonly Task _loop;
    private readonly string? _forbiddenPrefix;
    private int _requests;

    public RangeHttpServer(string root, string? forbiddenPrefix = null)
    {
        _root = root;
        _forbiddenPrefix = forbiddenPrefix;
        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(BaseUrl);
        _listener.Start();
        _loop = Task.Run(Serve);
    }

    public string BaseUrl { get; }

    /// <summary>Requests answered so far (HEAD and GET, ranges included).</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Paths (URL path, from '/') that were asked for.</summary>
    public System.Collections.Concurrent.ConcurrentBag<string> Paths { get; } = [];

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private async Task Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) { return; }
            try { Respond(context); }
            catch (Exception) { context.Response.Abort(); }
        }
    }

    private void Respond(HttpListenerContext context)
    {
        Interlocked.Increment(ref _requests);
        Paths.Add(context.Request.Url!.AbsolutePath);
        var path = Path.Combine(_root, Uri.UnescapeDataString(context.Request.Url!.AbsolutePath.TrimStart('/')));
        var response = context.Response;
        if (_forbiddenPrefix is not null && context.Request.Url.AbsolutePath.StartsWith(_forbiddenPrefix, StringComparison.Ordinal))
        {
            var denied = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>"u8.ToArray();
            response.StatusCode = 403;
            response.ContentType = "application/xml";
            response.ContentLength64 = denied.Length;
            if (context.Request.HttpMethod != "HEAD") response.OutputStream.Write(denied);
            response.Close();
            return;
        }
        if (!File.Exists(path))
        {
            response.StatusCode = 404;
            response.Close();
            return;
        }
        var bytes = File.ReadAllBytes(path);
        long start = 0, end = bytes.Length - 1;
        var range = context.Request.Headers["Range"];
        response.AddHeader("Accept-Ranges", "bytes");
        if (range is not null && range.StartsWith("bytes="))
        {
            var parts = range["bytes=".Length..].Split('-');
            start = long.Parse(parts[0]);
            if (parts[1].Length > 0) end = Math.Min(end, long.Parse(parts[1]));
            response.StatusCode = 206;
            response.AddHeader("Content-Range", $"bytes {start}-{end}/{bytes.Length}");
        }
        response.ContentLength64 = end - start + 1;
        if (context.Request.HttpMethod != "HEAD") response.OutputStream.Write(bytes, (int)start, (int)(end - start + 1));
        response.Close();
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(2)); } catch (AggregateException) { }
    }
}
