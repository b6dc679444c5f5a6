using System.Diagnostics;
using System.Text;

namespace Detect.Engine.Tests.Storage.S3;

/// <summary>A separate `engine-test-host` process (the test assembly run through <see cref="TestHostProgram"/>), output captured.</summary>
internal sealed class HostProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private HostProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_stdout) _stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Starts the host with <paramref name="args"/>; <paramref name="environment"/> overrides variables (null removes one).</summary>
    public static HostProcess Start(string tempDir, IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        // Through env(1) with SIGINT and SIGTERM reset to their defaults: a test run started in the background by a
        // shell without job control inherits SIGINT ignored, and .NET leaves an ignored SIGINT ignored.
        var info = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        info.ArgumentList.Add("--default-signal=INT,TERM");
        info.ArgumentList.Add(dotnet);
        info.ArgumentList.Add("exec");
        info.ArgumentList.Add(typeof(TestHostProgram).Assembly.Location);
        foreach (var a in args) info.ArgumentList.Add(a);
        // Staging (and anything else a killed host leaves behind) goes to the test's own folder.
        info.Environment["TMPDIR"] = tempDir;
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>()) info.Environment[name] = value;
        var process = Process.Start(info)!;
        process.StandardInput.Close();
        return new HostProcess(process);
    }

    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;
    public string Stdout { get { lock (_stdout) return _stdout.ToString(); } }
    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }
    public string Output => Stdout + Stderr;

    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try { await _process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the test host did not finish within {timeout}:\n{Output}");
        }
        _process.WaitForExit(); // flushes the redirected streams
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no finally blocks, no abort of uploads in flight.</summary>
    public void KillHard() => _process.Kill();

    /// <summary>SIGTERM, as `docker stop` or a batch system sends it.</summary>
    public void Terminate() => Signal("TERM");

    /// <summary>Sends a signal by name (INT: what Ctrl-C sends; TERM).</summary>
    public void Signal(string name)
    {
        using var kill = Process.Start("kill", [$"-{name}", _process.Id.ToString()]);
        kill.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
