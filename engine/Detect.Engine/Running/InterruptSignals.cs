using System.Runtime.InteropServices;

namespace Detect.Engine;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM (<c>docker stop</c>, <c>kill</c>, a batch system's cancel) for a command-line
/// program: the first one cancels <see cref="Token"/>, so a run stops starting tasks, cancels the running ones,
/// releases its leases, removes its staging and prints its summary (exit 130); a second one exits at once with
/// 130, for tasks that do not stop when told. Other handlers of the same signals (ASP.NET Core's host in
/// <c>serve</c>) still hear them: this one only adds the token.
/// </summary>
public sealed class InterruptSignals : IDisposable
{
    /// <summary>The exit code of an interrupted command (128 + SIGINT, as shells report it).</summary>
    public const int ExitCode = 130;

    private readonly CancellationTokenSource _cancel = new();
    private readonly PosixSignalRegistration[] _registrations;
    private readonly Action<int> _exit;
    private int _signals;

    /// <param name="exit">What a second signal does (tests replace <see cref="Environment.Exit"/>).</param>
    public InterruptSignals(Action<int>? exit = null)
    {
        _exit = exit ?? Environment.Exit;
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal)];
    }

    /// <summary>Cancelled at the first signal.</summary>
    public CancellationToken Token => _cancel.Token;

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true; // the process decides when to end, not the runtime's default handler
        // Cancelling runs the token's callbacks (the scheduler stopping): off this thread, so a second signal is heard.
        if (Interlocked.Increment(ref _signals) == 1) ThreadPool.QueueUserWorkItem(_ => _cancel.Cancel());
        else _exit(ExitCode);
    }

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _cancel.Dispose();
    }
}
