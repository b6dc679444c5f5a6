using Detect.Engine.History;
using Detect.Engine.Tests.Storage.S3;
using Detect.Engine.Tests.Scheduling;

namespace Detect.Engine.Tests.Running;

/// <summary>
/// <c>run</c> in a real child process, stopped with real signals (SIGINT as Ctrl-C sends it, SIGTERM as <c>docker
/// stop</c> or a batch system does): exit code, summary, store left clean, history, a rerun that completes.
/// </summary>
public sealed class SignalTests : IDisposable
{
    private static readonly TimeSpan HostTimeout = TimeSpan.FromMinutes(2);
    private readonly TempStore _env = new();
    private readonly string _markers;

    public SignalTests() => _markers = Path.Combine(_env.Root, "markers");

    public void Dispose() => _env.Dispose();

    private HostProcess Run(string mode) => HostProcess.Start(_env.Root, null, "run", nameof(InterruptGraph), "--scope", _env.Scope,
        "--marker-dir", _markers, "--mode", mode, "--workers", "1", "--store", _env.Store.Root, "--cache-dir", _env.Cache);

    /// <summary>Starts the run and waits until its slow task is running.</summary>
    private async Task<HostProcess> StartedAsync(string mode)
    {
        var host = Run(mode);
        var deadline = DateTime.UtcNow + HostTimeout;
        while (!File.Exists(Path.Combine(_markers, "started")))
        {
            if (host.HasExited) throw new InvalidOperationException($"the run exited before its slow task started:\n{host.Output}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the slow task did not start:\n{host.Output}");
            await Task.Delay(50);
        }
        return host;
    }

    private IEnumerable<string> FilesUnder(string key) =>
        Directory.Exists(_env.PathOf(key)) ? Directory.EnumerateFiles(_env.PathOf(key), "*", SearchOption.AllDirectories) : [];

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task A_signal_stops_the_run_prints_its_summary_exits_130_and_leaves_the_store_clean_for_a_rerun(string signal)
    {
        using var host = await StartedAsync("block");

        host.Signal(signal);
        var code = await host.WaitAsync(HostTimeout);

        code.Should().Be(130, host.Output);
        host.Stdout.Should().Contain("===== Execution summary =====").And.Contain("* 1 ran:").And.Contain("- Step_")
            .And.Contain("* 1 were interrupted while running").And.Contain("- InterruptSlow_")
            .And.Contain("* 2 were not started (interrupted):").And.Contain("Result: INTERRUPTED — InterruptGraph_");
        host.Stderr.Should().Contain("Interrupted: stopping the running tasks").And.NotContain("   at ", "no stack trace");
        FilesUnder(".detect/leases").Should().BeEmpty("the slow task's lease is released");
        FilesUnder(".detect/staging").Should().BeEmpty("its staging (half an output) is removed");
        FilesUnder($"runs/{_env.Scope}").Select(Path.GetFileName).Should().Equal(["first.txt"], "no partial outputs");
        var record = (await new RunHistory(_env.Store).ListAsync()).Should().ContainSingle().Which;
        record.Outcome.Should().Be(RunRecord.Interrupted);
        record.Ended.Should().NotBeNull();

        using var rerun = Run("done");
        (await rerun.WaitAsync(HostTimeout)).Should().Be(0, rerun.Output);
        rerun.Stdout.Should().Contain("* 3 ran:").And.Contain("* 1 were already complete:").And.Contain("Result: success");
        File.ReadAllText(_env.PathOf($"runs/{_env.Scope}/slow-b.txt")).Should().Be("whole");
    }

    [Fact]
    public async Task A_second_ctrl_c_exits_at_once_with_130_when_a_task_does_not_stop()
    {
        using var host = await StartedAsync("stubborn");

        host.Signal("INT");
        var deadline = DateTime.UtcNow + HostTimeout;
        while (!host.Stderr.Contains("Interrupted: stopping", StringComparison.Ordinal) && DateTime.UtcNow < deadline) await Task.Delay(50);
        await Task.Delay(500);
        host.HasExited.Should().BeFalse("the run waits for its running task to stop:\n" + host.Output);

        host.Signal("INT");
        (await host.WaitAsync(TimeSpan.FromSeconds(20))).Should().Be(130, host.Output);
        FilesUnder($"runs/{_env.Scope}").Select(Path.GetFileName).Should().Equal(["first.txt"], "nothing of the stubborn task was published");
    }
}
