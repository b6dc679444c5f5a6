using Detect.Engine.Parameters;

namespace Detect.Engine.Export;

/// <summary>
/// A throwaway root over several tasks, so one <c>Scheduler.StatusAsync</c> call resolves them all (one batched
/// existence pass per planning round). Each round gets its own id. It has no public parameterless constructor, so
/// no <see cref="Scheduling.TaskRegistry"/> ever lists it as a task of the program.
/// </summary>
internal sealed class PlanningRoots : WrapperTask
{
    private readonly IReadOnlyList<WorkflowTask> _tasks;

    public PlanningRoots(int round, IReadOnlyList<WorkflowTask> tasks)
    {
        Round = round;
        _tasks = tasks;
    }

    [Parameter(Help = "planning round")] public int Round { get; }

    public override IEnumerable<WorkflowTask> Requires() => _tasks;
}
