namespace Detect.Engine;

/// <summary>
/// A task whose dynamic requirements (what its <see cref="WorkflowTask.RunAsync"/> asks for through
/// <see cref="TaskContext.RequireAsync(WorkflowTask[])"/>) can be known before it runs, because they follow from
/// its parameters and from inputs already in the store (e.g. the tiles that cover a region). Planners such as
/// <c>detect export cwl</c> use it to lay those tasks out ahead of time; the scheduler does not need it.
/// </summary>
public interface IPlansDynamicRequirements
{
    /// <summary>
    /// Exactly the tasks <see cref="WorkflowTask.RunAsync"/> will require, or null when they depend on outputs the
    /// graph has yet to make (the task then works them out, and runs them, when it runs).
    /// </summary>
    Task<IReadOnlyList<WorkflowTask>?> PlanDynamicRequirementsAsync(TargetResolver targets, CancellationToken ct);
}
