namespace Detect.Engine.Scheduling.Planning;

/// <summary>
/// Deep completeness: a task is complete when its outputs exist and every task it requires (recorded dynamic
/// requirements included) is complete — so deleting any output makes exactly that task and everything
/// downstream of it incomplete. External inputs and local-cache fetches never make their dependents
/// incomplete. A task with no outputs is complete only if it is a wrapper whose requirements are.
/// </summary>
internal sealed class Completeness(ExistenceOracle existence)
{
    // The answers live on the nodes (one Completeness per graph): no dictionaries to fill for 100,000 tasks.
    private readonly Lock _lock = new();

    public bool IsComplete(TaskNode node)
    {
        lock (_lock) return Evaluate(node);
    }

    public bool OutputsExist(TaskNode node) => node.Outputs.All(existence.Exists);

    /// <summary>Marks a task complete after it ran (or was found done by another process).</summary>
    public void MarkComplete(TaskNode node)
    {
        lock (_lock) node.Complete = true;
    }

    private bool Evaluate(TaskNode node)
    {
        if (node.Complete is { } known) return known;
        if (node.Visiting) throw new InvalidOperationException($"Dependency cycle through {node.Id}.");
        node.Visiting = true;
        try
        {
            bool complete;
            if (node.Task is ExternalTask) complete = node.Outputs.Count > 0 && OutputsExist(node);
            else if (node.Outputs.Count == 0 && node.Task is not WrapperTask) complete = false;
            else
            {
                complete = OutputsExist(node);
                foreach (var dependency in node.AllDependencies)
                {
                    // Evaluate every dependency (not just until the first incomplete one) so cycles surface.
                    var dependencyComplete = Evaluate(dependency);
                    if (dependency.Task.InvalidatesDependents && !dependencyComplete) complete = false;
                }
            }
            node.Complete = complete;
            return complete;
        }
        finally { node.Visiting = false; }
    }
}
