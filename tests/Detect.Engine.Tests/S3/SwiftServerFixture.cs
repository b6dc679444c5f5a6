using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Detect.Engine.Storage.S3;

namespace Detect.Engine.Tests.S3;

/// <summary>
/// A real OpenStack Swift (s3api + tempauth) on 127.0.0.1 for the whole S3 test collection, started through
/// scripts/s3-server.sh in a private state directory on free ports, and stopped by PID at the end. It sets the
/// standard AWS variables in this process so stores opened from the environment reach it.
/// </summary>
public sealed class SwiftServerFixture : IAsyncLifetime
{
    public const string Bucket = "detect-test";
    public const string AccessKey = "test:tester";
    public const string Secret = "testing";

    private readonly string _stateDir = Path.Combine(StateRoot(), "detect-s3-test-" + Guid.NewGuid().ToString("N")[..8]);
    private int _basePort;

    public string RepoRoot { get; } = FindRepoRoot();
    public string Script => Path.Combine(RepoRoot, "scripts", "s3-server.sh");
    public string Endpoint => $"http://127.0.0.1:{_basePort}";
    public bool Running { get; private set; }

    /// <summary>Settings from the environment the fixture exported, with quick retries so failure tests stay fast.</summary>
    public S3Settings FastSettings => S3Settings.FromEnvironment() with
    {
        MaxAttempts = 3,
        RetryBaseDelay = TimeSpan.FromMilliseconds(50),
        RetryMaxDelay = TimeSpan.FromMilliseconds(200),
        ConnectTimeout = TimeSpan.FromSeconds(2),
        RequestTimeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>A store under a fresh prefix, so tests never see each other's objects.</summary>
    public S3ObjectStore NewStore(S3Settings? settings = null) =>
        S3ObjectStore.Open($"s3://{Bucket}/t-{Guid.NewGuid():N}", settings ?? FastSettings);

    public async Task InitializeAsync()
    {
        await RunScriptAsync(TimeSpan.FromMinutes(10), "install");
        // A port found free can be taken by another process before Swift binds it: try fresh ports a few times.
        for (var attempt = 1; ; attempt++)
        {
            _basePort = FindFreeBasePort();
            try
            {
                await StartAsync();
                return;
            }
            catch (InvalidOperationException e) when (attempt < 3 && e.Message.Contains("Could not bind", StringComparison.Ordinal))
            {
                await StopAsync();
            }
        }
    }

    public async Task StartAsync()
    {
        var output = await RunScriptAsync(TimeSpan.FromMinutes(2), "start", _stateDir);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!line.StartsWith("export ", StringComparison.Ordinal)) continue;
            var assignment = line["export ".Length..];
            var eq = assignment.IndexOf('=');
            Environment.SetEnvironmentVariable(assignment[..eq], assignment[(eq + 1)..]);
        }
        Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_S3").Should().Be(Endpoint, "s3-server.sh start prints the endpoint");
        Running = true;
    }

    public async Task StopAsync()
    {
        await RunScriptAsync(TimeSpan.FromMinutes(1), "stop", _stateDir);
        Running = false;
    }

    public async Task DisposeAsync()
    {
        try { await StopAsync(); }
        finally { Directory.Delete(_stateDir, recursive: true); }
    }

    private async Task<string> RunScriptAsync(TimeSpan timeout, params string[] args)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        info.ArgumentList.Add(Script);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["DETECT_S3_PORT"] = _basePort.ToString();
        info.Environment["DETECT_S3_BUCKETS"] = Bucket;
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try { await process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Script} {string.Join(' ', args)} did not finish within {timeout}: {await stderr}");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Script} {string.Join(' ', args)} failed (exit {process.ExitCode}): {await stderr}");
        return await stdout;
    }

    /// <summary>
    /// Five consecutive free ports (proxy, object, container, account, memcached) below Linux's ephemeral range
    /// (32768+): a port found free there can be taken by any client connection before the daemons bind it.
    /// </summary>
    private static int FindFreeBasePort()
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
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>
    /// Swift fsyncs every object; on a shared disk that makes the 1000-key tests slow. A RAM-backed /dev/shm
    /// (when large enough) makes fsync free; the script itself checks that the file system has user xattrs.
    /// </summary>
    private static string StateRoot()
    {
        const string shm = "/dev/shm";
        try
        {
            if (Directory.Exists(shm) && new DriveInfo(shm).AvailableFreeSpace > (1L << 30)) return shm;
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

[CollectionDefinition(Name)]
public sealed class SwiftCollection : ICollectionFixture<SwiftServerFixture>
{
    public const string Name = "Swift S3 server";
}
