namespace Detect.Engine.Scheduling;

/// <summary>
/// A run was cancelled before its requested task was complete. It is an <see cref="OperationCanceledException"/>
/// (code that only knows cancellation sees one), and carries what the run did: what ran, what was interrupted while
/// running and what never started (<see cref="Interruption"/>).
/// </summary>
public sealed class RunInterruptedException(ExecutionSummary summary, CancellationToken token)
    : OperationCanceledException($"The run of {summary.RootTaskId} was interrupted.", token)
{
    public ExecutionSummary Summary { get; } = summary;
}
