namespace Detect.Engine.History;

/// <summary>How often a run's history is written while it runs.</summary>
public sealed record RunHistoryOptions
{
    /// <summary>New events reach the store at least this often (the status page is at most about this far behind).</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The run record is rewritten this often while the run goes on; a record older than three of these (and a
    /// flush interval) belongs to a run that ended abnormally.
    /// </summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Per task, the log kept in the history (its last part, when it logs more).</summary>
    public int MaxLogBytesPerTask { get; init; } = 256 * 1024;

    /// <summary>Heartbeat for a lease time: a third of it, at most 10 s (a run whose leases expired is surely gone).</summary>
    public static RunHistoryOptions ForLeaseTtl(TimeSpan leaseTtl) =>
        new() { Heartbeat = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(10).Ticks, Math.Max(TimeSpan.FromMilliseconds(200).Ticks, leaseTtl.Ticks / 3))) };

    public void Validate()
    {
        if (FlushInterval <= TimeSpan.Zero) throw new ArgumentException($"RunHistoryOptions.FlushInterval must be positive, got {FlushInterval}.", nameof(FlushInterval));
        if (Heartbeat <= TimeSpan.Zero) throw new ArgumentException($"RunHistoryOptions.Heartbeat must be positive, got {Heartbeat}.", nameof(Heartbeat));
        if (MaxLogBytesPerTask < 1024) throw new ArgumentException($"RunHistoryOptions.MaxLogBytesPerTask must be at least 1024, got {MaxLogBytesPerTask}.", nameof(MaxLogBytesPerTask));
    }
}

/// <summary>What the run record says about who started the run (the command with secrets masked).</summary>
public sealed record RunInvocation(IReadOnlyList<string> Command, string User, string Host, int Pid, string StoreUri)
{
    public static RunInvocation Current(IReadOnlyList<string> command, string storeUri) =>
        new(Redaction.Command(command), Environment.UserName, Environment.MachineName, Environment.ProcessId, storeUri);
}
