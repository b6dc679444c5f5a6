namespace Detect.Engine.History;

/// <summary>
/// The trigger a run was started for (<c>detect watch</c>: the trigger file and its row), recorded in the run's
/// history. Ambient: a run started inside <see cref="Enter"/> on this async flow carries it, so one scheduler (and
/// one history writer) can run rows of several triggers at once and each record names its own.
/// </summary>
public sealed record RunTrigger(string Uri, int Row)
{
    private static readonly AsyncLocal<RunTrigger?> Ambient = new();

    /// <summary>The trigger of the run being started on this async flow, if any.</summary>
    public static RunTrigger? Current => Ambient.Value;

    /// <summary>Runs started on this async flow until disposed belong to this trigger.</summary>
    public IDisposable Enter()
    {
        var previous = Ambient.Value;
        Ambient.Value = this;
        return new Restore(previous);
    }

    private sealed class Restore(RunTrigger? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}
