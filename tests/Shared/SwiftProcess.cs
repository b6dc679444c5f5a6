using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Detect.TestSupport;

/// <summary>
/// A real OpenStack Swift (s3api + tempauth) on 127.0.0.1, run through scripts/s3-server.sh in a private state
/// directory on free ports and stopped by PID. Starting it exports the standard AWS variables into this process,
/// so stores opened from the environment, GDAL's /vsis3/ and child processes reach it. Compiled into both test
/// projects (tests/Shared).
/// </summary>
public sealed class SwiftProcess(string buckets, string stateName)
{
    private const int StartAttempts = 3;

    public string StateDirectory { get; } = Path.Combine(StateRoot(), $"{stateName}-{Guid.NewGuid().ToString("N")[..8]}");
    public int BasePort { get; private set; }
    public string Endpoint => $"http://127.0.0.1:{BasePort}";
    public bool Running { get; private set; }
    public static string Script { get; } = Path.Combine(FindRepoRoot(), "scripts", "s3-server.sh");

    /// <summary>Installs Swift if needed, then starts it on fresh free ports (again on a port race).</summary>
    public async Task InstallAndStartAsync()
    {
        await RunScriptAsync(TimeSpan.FromMinutes(10), "install");
        for (var attempt = 1; ; attempt++)
        {
            BasePort = FreeBasePort();
            try
            {
                await StartAsync();
                return;
            }
            catch (InvalidOperationException e) when (attempt < StartAttempts && e.Message.Contains("Could not bind", StringComparison.Ordinal))
            {
                // Another process took a port between our check and Swift's bind: try other ports.
                await StopAsync();
            }
        }
    }

    /// <summary>Starts (or restarts) the server on its current ports.</summary>
    public async Task StartAsync()
    {
        var output = await RunScriptAsync(TimeSpan.FromMinutes(2), "start", StateDirectory);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!line.StartsWith("export ", StringComparison.Ordinal)) continue;
            var assignment = line["export ".Length..];
            var eq = assignment.IndexOf('=');
            Environment.SetEnvironmentVariable(assignment[..eq], assignment[(eq + 1)..]);
        }
        if (Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_S3") != Endpoint)
            throw new InvalidOperationException($"{Script} start did not export AWS_ENDPOINT_URL_S3={Endpoint}.");
        Running = true;
    }

    public async Task StopAsync()
    {
        await RunScriptAsync(TimeSpan.FromMinutes(1), "stop", StateDirectory);
        Running = false;
    }

    /// <summary>Stops the server and deletes its state.</summary>
    public async Task DisposeAsync()
    {
        try { await StopAsync(); }
        finally
        {
            if (Directory.Exists(StateDirectory)) Directory.Delete(StateDirectory, recursive: true);
        }
    }

    private async Task<string> RunScriptAsync(TimeSpan timeout, params string[] args)
    {
        var info = new ProcessStartInfo("bash");
        info.ArgumentList.Add(Script);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["DETECT_S3_PORT"] = BasePort.ToString();
        info.Environment["DETECT_S3_BUCKETS"] = buckets;
        var (exitCode, stdout, stderr) = await ChildProcess.RunAsync(info, timeout, $"{Script} {string.Join(' ', args)}");
        if (exitCode != 0)
            throw new InvalidOperationException($"{Script} {string.Join(' ', args)} failed (exit {exitCode}): {stderr}");
        return stdout;
    }

    /// <summary>
    /// Five consecutive free ports (proxy, object, container, account, memcached) below Linux's ephemeral range
    /// (32768+), so client connections opened meanwhile cannot take them before the daemons bind.
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

    /// <summary>Swift fsyncs every object: a RAM-backed /dev/shm (when large enough) makes that free.</summary>
    private static string StateRoot()
    {
        const string shm = "/dev/shm";
        try
        {
            if (Directory.Exists(shm) && new DriveInfo(shm).AvailableFreeSpace > (2L << 30)) return shm;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException) { }
        return Path.GetTempPath();
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Detect.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No Detect.sln above {AppContext.BaseDirectory}: run the tests from the repository.");
    }
}
