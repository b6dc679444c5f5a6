using Detect.Engine.Scheduling;
using Microsoft.Extensions.Logging;

namespace Detect.Engine.Export;

/// <summary>One task the exported workflow runs, and the tasks of the workflow it must wait for.</summary>
public sealed record PlannedTask(WorkflowTask Task, IReadOnlyList<WorkflowTask> After);

/// <summary>What an export runs, in dependency order, and what it left out.</summary>
public sealed record ExportPlan(WorkflowTask Root, IReadOnlyList<PlannedTask> Tasks, int GraphSize, int Complete, int LocalCaches, IReadOnlyList<WorkflowTask> RunTheirOwnRequirements);

/// <summary>External inputs the graph needs that are not in the store: every run of the export would fail on them.</summary>
public sealed class MissingInputsException(string message) : Exception(message);

/// <summary>
/// Works out which tasks a workflow made for another runner must run: the graph from the root — static
/// requirements plus the dynamic ones tasks can plan ahead (<see cref="IPlansDynamicRequirements"/>) — minus
/// what is complete in the store. External inputs are never run (missing ones are an error); local-cache fetches
/// are per machine, so each step makes its own (<c>detect run --no-deps</c> does). Completeness comes from the
/// scheduler, so it is exactly what <c>detect run</c> would find, dynamic requirements recorded by earlier runs
/// included.
/// </summary>
public sealed class ExportPlanner(TaskRegistry registry, TargetResolver resolver, ILogger logger)
{
    private sealed class Node(WorkflowTask task)
    {
        public WorkflowTask Task { get; } = task;
        public List<Node> Requires { get; } = [];
        public bool Complete { get; set; }
    }

    private readonly Dictionary<string, Node> _nodes = new(StringComparer.Ordinal);

    public async Task<ExportPlan> PlanAsync(WorkflowTask root, CancellationToken ct)
    {
        var scheduler = new Scheduler(registry, resolver, new SchedulerOptions { UseLeases = false }, logger);
        var unplannable = new List<WorkflowTask>();
        var pending = new List<Node>();
        var rootNode = AddClosure([root], pending)[0];
        for (var round = 0; pending.Count > 0; round++)
        {
            var status = await scheduler.StatusAsync(new PlanningRoots(round, pending.Select(n => n.Task).ToList()), ct);
            foreach (var (task, complete, _) in status)
                if (_nodes.TryGetValue(task.TaskId, out var node)) node.Complete = complete;
            ThrowIfInputsMissing(pending);

            // Dependencies before their dependents (pending is in discovery order, dependents first), so where two
            // instances of one task differ only in insignificant parameters the planner keeps the one the
            // scheduler would meet first, as it runs the earlier task first.
            var planners = pending.Where(n => !n.Complete && n.Task is IPlansDynamicRequirements).Reverse().ToList();
            var fresh = new List<Node>();
            foreach (var node in planners)
            {
                var planned = await ((IPlansDynamicRequirements)node.Task).PlanDynamicRequirementsAsync(resolver, ct);
                if (planned is null) { unplannable.Add(node.Task); continue; }
                foreach (var child in AddClosure(planned, fresh).Where(c => !node.Requires.Contains(c))) node.Requires.Add(child);
            }
            logger.LogDebug("export planning round {Round}: {Tasks} task(s) resolved, {Planned} planned their dynamic requirements", round, pending.Count, planners.Count);
            pending = fresh;
        }
        ThrowIfInputsMissing(_nodes.Values);
        if (root is ExternalTask && !rootNode.Complete)
            throw new MissingInputsException($"{root.TaskId} is an external input and is not in the store ({string.Join(", ", root.Output().Select(resolver.UriOf))}): nothing can make it.");

        var runs = Topological(rootNode).Where(n => Runs(n, rootNode)).ToList();
        var tasks = runs.Select(n => new PlannedTask(n.Task, WaitsFor(n, rootNode).Select(w => w.Task).ToList())).ToList();
        var localCaches = _nodes.Values.Count(n => !n.Complete && IsLocalCache(n.Task));
        logger.LogInformation("export of {Root}: {Graph} task(s) in the graph, {Runs} to run, {Complete} complete", root.TaskId, _nodes.Count, tasks.Count,
            _nodes.Values.Count(n => n.Complete));
        return new ExportPlan(root, tasks, _nodes.Count, _nodes.Values.Count(n => n.Complete), localCaches, unplannable);
    }

    private static bool IsLocalCache(WorkflowTask task) => !task.InvalidatesDependents && task is not ExternalTask;

    /// <summary>Whether the workflow has a step for the task: incomplete, made by the graph, not a per-machine fetch.</summary>
    private static bool Runs(Node node, Node root) =>
        !node.Complete && node.Task is not ExternalTask && (!IsLocalCache(node.Task) || node == root);

    /// <summary>
    /// The tasks with steps that <paramref name="node"/> waits for: its requirements that run, and those reached
    /// through requirements that have no step of their own but are not done either (a local-cache fetch that
    /// itself needs a task of the graph).
    /// </summary>
    private static IEnumerable<Node> WaitsFor(Node node, Node root)
    {
        var result = new List<Node>();
        var seen = new HashSet<Node>();
        var stack = new Stack<Node>(node.Requires);
        while (stack.Count > 0)
        {
            var next = stack.Pop();
            if (!seen.Add(next) || next.Complete || next.Task is ExternalTask) continue;
            if (Runs(next, root)) result.Add(next);
            else foreach (var r in next.Requires) stack.Push(r);
        }
        return result.OrderBy(n => n.Task.TaskId, StringComparer.Ordinal);
    }

    /// <summary>Every external input that one of <paramref name="nodes"/> needs, is not complete itself and the store lacks.</summary>
    private void ThrowIfInputsMissing(IEnumerable<Node> nodes)
    {
        var missing = nodes.Where(n => !n.Complete).SelectMany(n => n.Requires)
            .Where(r => r.Task is ExternalTask && !r.Complete).Distinct().ToList();
        if (missing.Count == 0) return;
        throw new MissingInputsException(
            $"external input(s) missing: {string.Join(", ", missing.SelectMany(m => m.Task.Output()).Select(resolver.UriOf).Distinct())}. " +
            "They are made outside the workflow: " +
            "put them in the store and export again (every step that needs them would fail).");
    }

    /// <summary>Adds the tasks and their static requirements (transitively); returns the tasks' nodes and appends new ones to <paramref name="created"/>.</summary>
    private List<Node> AddClosure(IEnumerable<WorkflowTask> tasks, List<Node> created)
    {
        var queue = new Queue<Node>();
        Node GetOrAdd(WorkflowTask task)
        {
            if (_nodes.TryGetValue(task.TaskId, out var existing)) return existing;
            var node = new Node(task);
            _nodes[task.TaskId] = node;
            created.Add(node);
            queue.Enqueue(node);
            return node;
        }
        var roots = tasks.Select(GetOrAdd).ToList();
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            foreach (var required in node.Task.Requires()) node.Requires.Add(GetOrAdd(required));
        }
        return roots;
    }

    /// <summary>Dependencies first (depth-first post-order, iterative so deep chains cannot overflow the stack).</summary>
    private static List<Node> Topological(Node root)
    {
        var order = new List<Node>();
        var state = new Dictionary<Node, bool>(); // false: on the path, true: done
        var stack = new Stack<(Node Node, int Next)>();
        stack.Push((root, 0));
        state[root] = false;
        while (stack.Count > 0)
        {
            var (node, next) = stack.Pop();
            if (next < node.Requires.Count)
            {
                stack.Push((node, next + 1));
                var child = node.Requires[next];
                if (!state.TryGetValue(child, out var done)) { state[child] = false; stack.Push((child, 0)); }
                else if (!done) throw new InvalidOperationException($"Dependency cycle through {child.Task.TaskId}.");
                continue;
            }
            state[node] = true;
            order.Add(node);
        }
        return order;
    }
}
