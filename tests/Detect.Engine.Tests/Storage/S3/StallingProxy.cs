using System.Net;
using System.Net.Sockets;

namespace Detect.Engine.Tests.Storage.S3;

/// <summary>
/// A TCP relay on 127.0.0.1 in front of the real S3 server that stops passing request bytes once a budget is
/// spent: a client's upload then hangs part-way, on any machine however fast, until the test kills the client.
/// </summary>
internal sealed class StallingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _stalled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _targetPort;
    private readonly Task _accepting;
    private long _budget;

    public StallingProxy(int targetPort, long requestByteBudget)
    {
        _targetPort = targetPort;
        _budget = requestByteBudget;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Endpoint => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Completes when the budget is spent and requests stop flowing.</summary>
    public Task Stalled => _stalled.Task;

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
                await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
                await Task.WhenAny(PumpAsync(client.GetStream(), server.GetStream(), budgeted: true),
                                   PumpAsync(server.GetStream(), client.GetStream(), budgeted: false));
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException) { }
        }
    }

    private async Task PumpAsync(Stream from, Stream to, bool budgeted)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var n = await from.ReadAsync(buffer, _stop.Token);
            if (n == 0) return;
            if (budgeted && Interlocked.Add(ref _budget, -n) < 0)
            {
                _stalled.TrySetResult();
                await Task.Delay(Timeout.Infinite, _stop.Token); // stop reading: the client's sends block
            }
            await to.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
