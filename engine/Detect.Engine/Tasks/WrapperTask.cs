namespace Detect.Engine;

/// <summary>A task that only groups others: it has no outputs and is complete when its requirements are.</summary>
public abstract class WrapperTask : WorkflowTask
{
    public sealed override IEnumerable<Target> Output() => [];
    public override Task RunAsync(TaskContext context) => Task.CompletedTask;
}

/// <summary>
/// An input made elsewhere (e.g. imagery a provider uploaded). Never run: complete only if its outputs
/// exist, and a missing one is an error naming it. It never invalidates its dependents.
/// </summary>
public abstract class ExternalTask : WorkflowTask
{
    public sealed override IEnumerable<WorkflowTask> Requires() => [];
    public sealed override bool InvalidatesDependents => false;

    public sealed override Task RunAsync(TaskContext context) =>
        throw new MissingInputException(
            $"{TaskId}: external input missing: {string.Join(", ", Output().Select(context.Targets.UriOf))}. " + MissingInputHint);

    /// <summary>What to tell a user whose store lacks this input (e.g. the command that adds it); ends the error message.</summary>
    public virtual string MissingInputHint => "It is made outside this workflow; put it in the store and run again.";
}

/// <summary>
/// A fetch into a local cache (e.g. a model file copied from the store). On a new machine it runs again,
/// but its output going missing never makes the tasks that use it rerun.
/// </summary>
public abstract class LocalCacheTask : WorkflowTask
{
    public sealed override bool InvalidatesDependents => false;
}

public sealed class MissingInputException(string message) : Exception(message);
