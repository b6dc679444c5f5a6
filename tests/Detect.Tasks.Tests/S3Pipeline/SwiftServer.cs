using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Detect.Tasks.Tests.S3Pipeline;

/// <summary>
/// A real OpenStack Swift (s3api) on 127.0.0.1 through scripts/s3-server.sh — the same script the engine's
/// SwiftServerFixture uses — in a private state directory, stopped by PID on dispose. Start exports the standard
/// AWS variables into this process, so stores, GDAL's /vsis3/ and child processes reach it.
/// </summary>
internal sealed class SwiftServer : IAsyncDisposable
{
    private readonly string _stateDir;
    private readonly int _basePort = FreeBasePort();
    private readonly string _buckets;

    private SwiftServer(string buckets)
    {
        _buckets = buckets;
        var root = Directory.Exists("/dev/shm") && new DriveInfo("/dev/shm").AvailableFreeSpace > (2L << 30) ? "/dev/shm" : Path.GetTempPath();
        _stateDir = Path.Combine(root, "detect-s3-e2e-" + Guid.NewGuid().ToString("N")[..8]);
    }

    public string Endpoint => $"http://127.0.0.1:{_basePort}";

    public static async Task<SwiftServer> StartAsync(string buckets)
    {
        var server = new SwiftServer(buckets);
        try
        {
            await server.ScriptAsync(TimeSpan.FromMinutes(10), "install");
            foreach (var line in (await server.ScriptAsync(TimeSpan.FromMinutes(2), "start", server._stateDir)).Split('\n'))
            {
                if (!line.StartsWith("export ", StringComparison.Ordinal)) continue;
                var eq = line.IndexOf('=');
                Environment.SetEnvironmentVariable(line["export ".Length..eq], line[(eq + 1)..].Trim());
            }
            return server;
        }
        catch
        {
            if (Directory.Exists(server._stateDir)) Directory.Delete(server._stateDir, recursive: true);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try { await ScriptAsync(TimeSpan.FromMinutes(1), "stop", _stateDir); }
        finally { Directory.Delete(_stateDir, recursive: true); }
    }

    private async Task<string> ScriptAsync(TimeSpan timeout, params string[] args)
    {
        var script = Path.Combine(RepositoryRoot.Path, "scripts", "s3-server.sh");
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        info.ArgumentList.Add(script);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["DETECT_S3_PORT"] = _basePort.ToString();
        info.Environment["DETECT_S3_BUCKETS"] = _buckets;
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try { await process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} {string.Join(' ', args)} did not finish within {timeout}.");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{script} {string.Join(' ', args)} failed (exit {process.ExitCode}): {await stderr}");
        return await stdout;
    }

    /// <summary>
    /// Five consecutive free ports (proxy, object, container, account, memcached) below Linux's ephemeral range
    /// (32768+), so that client connections opened meanwhile cannot take them before the daemons bind.
    /// </summary>
    private static int FreeBasePort()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(20000, 32760);
            if (Enumerable.Range(port, 5).All(IsFree)) return port;
        }
        throw new InvalidOperationException("No five consecutive free ports in 20000-32764 on 127.0.0.1 for the S3 test server.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException) { return false; }
    }
}
