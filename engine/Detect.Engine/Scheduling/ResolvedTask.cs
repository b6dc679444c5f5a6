namespace Detect.Engine.Scheduling;

/// <summary>A task of a resolved graph: what it requires statically, and dynamically as recorded by an earlier run.</summary>
public sealed record ResolvedTask(WorkflowTask Task, IReadOnlyList<WorkflowTask> Requires, IReadOnlyList<WorkflowTask> RecordedDynamic);
