using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Detect.Tasks.Tests.Imagery.Stac;

/// <summary>
/// A TCP relay on 127.0.0.1 in front of the real S3 server (Swift) that behaves like a requester-pays bucket on AWS:
/// it reads each request head on its way through, and a request without <c>x-amz-request-payer: requester</c> is
/// answered 403 AccessDenied instead of being forwarded, as are keys under <see cref="DeniedPrefix"/> (an object the
/// account may not read). Everything else passes byte for byte, so the client's SigV4 signature still verifies.
/// GDAL's reads are bodiless GETs/HEADs sent one at a time per connection, which is what makes a canned answer safe.
/// </summary>
public sealed class RequesterPaysRelay : IDisposable
{
    public const string DeniedPrefix = "denied/";
    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly int _targetPort;
    private readonly Task _accepting;

    public RequesterPaysRelay(string targetEndpoint)
    {
        _targetPort = new Uri(targetEndpoint).Port;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Endpoint => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Every request: method, path with query, and whether it said "requester pays".</summary>
    public ConcurrentQueue<(string Method, string Path, bool RequesterPays)> Requests { get; } = new();

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = RelayAsync(client);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                client.NoDelay = true;
                server.NoDelay = true;
                await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
                var toClient = client.GetStream();
                var gate = new SemaphoreSlim(1, 1); // one writer at a time towards the client
                await Task.WhenAny(RequestsAsync(toClient, server.GetStream(), gate), ResponsesAsync(server.GetStream(), toClient, gate));
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException) { }
        }
    }

    /// <summary>Client → server: each request head is checked, then forwarded or answered 403 here.</summary>
    private async Task RequestsAsync(NetworkStream from, NetworkStream to, SemaphoreSlim gate)
    {
        var buffer = new List<byte>();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var n = await from.ReadAsync(chunk, _stop.Token);
            if (n == 0) return;
            buffer.AddRange(chunk.AsSpan(0, n));
            int end;
            while ((end = IndexOf(buffer, HeadEnd)) >= 0)
            {
                var head = buffer.GetRange(0, end + HeadEnd.Length).ToArray();
                buffer.RemoveRange(0, head.Length);
                var (method, path, payer) = Parse(head);
                Requests.Enqueue((method, path, payer));
                var key = path.TrimStart('/').Split('?')[0].Split('/', 2) is [_, var k] ? k : "";
                if (payer && !key.StartsWith(DeniedPrefix, StringComparison.Ordinal))
                    await to.WriteAsync(head, _stop.Token);
                else
                {
                    await gate.WaitAsync(_stop.Token);
                    try { await from.WriteAsync(Denied(method), _stop.Token); }
                    finally { gate.Release(); }
                }
            }
        }
    }

    private async Task ResponsesAsync(NetworkStream from, NetworkStream to, SemaphoreSlim gate)
    {
        var chunk = new byte[64 * 1024];
        while (true)
        {
            var n = await from.ReadAsync(chunk, _stop.Token);
            if (n == 0) return;
            await gate.WaitAsync(_stop.Token);
            try { await to.WriteAsync(chunk.AsMemory(0, n), _stop.Token); }
            finally { gate.Release(); }
        }
    }

    private static (string Method, string Path, bool RequesterPays) Parse(byte[] head)
    {
        var lines = Encoding.ASCII.GetString(head).Split("\r\n");
        var request = lines[0].Split(' ');
        var payer = lines.Skip(1).Any(l => l.StartsWith("x-amz-request-payer:", StringComparison.OrdinalIgnoreCase)
                                           && l["x-amz-request-payer:".Length..].Trim().Equals("requester", StringComparison.OrdinalIgnoreCase));
        return (request[0], request.Length > 1 ? request[1] : "", payer);
    }

    private static byte[] Denied(string method)
    {
        const string body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>";
        var head = $"HTTP/1.1 403 Forbidden\r\nContent-Type: application/xml\r\nContent-Length: {body.Length}\r\n\r\n";
        return Encoding.ASCII.GetBytes(method == "HEAD" ? head : head + body);
    }

    private static int IndexOf(List<byte> buffer, byte[] pattern)
    {
        for (var i = 0; i + pattern.Length <= buffer.Count; i++)
        {
            var match = true;
            for (var j = 0; j < pattern.Length && match; j++) match = buffer[i + j] == pattern[j];
            if (match) return i;
        }
        return -1;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try { _accepting.Wait(TimeSpan.FromSeconds(2)); } catch (AggregateException) { }
        _stop.Dispose();
    }
}
