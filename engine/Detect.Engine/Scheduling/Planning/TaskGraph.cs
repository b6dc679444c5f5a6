using System.Runtime.CompilerServices;

namespace Detect.Engine.Scheduling.Planning;

/// <summary>One task in the resolved graph, with what it requires and what it makes.</summary>
internal sealed class TaskNode
{
    public TaskNode(WorkflowTask task)
    {
        Task = task;
        Outputs = task.Output().ToList();
        Manifest = DynamicDependencies.ManifestFor(Outputs);
    }

    public WorkflowTask Task { get; }
    public IReadOnlyList<Target> Outputs { get; }
    public Target? Manifest { get; }
    public List<TaskNode> Requires { get; } = [];

    private List<TaskNode>? _dynamic;

    /// <summary>Dynamic dependencies: recorded by an earlier run, or requested by the current one (made when first needed).</summary>
    public List<TaskNode> Dynamic => _dynamic ??= [];

    /// <summary>What <see cref="Completeness"/> found (null: not evaluated yet), and its cycle guard.</summary>
    internal bool? Complete { get; set; }
    internal bool Visiting { get; set; }

    public IEnumerable<TaskNode> AllDependencies => _dynamic is not { Count: > 0 } ? Requires : Requires.Concat(_dynamic);
    public string Id => Task.TaskId;
}

/// <summary>
/// The graph reachable from the requested tasks: static requirements plus the dynamic ones earlier runs
/// recorded. Expansion batches the existence checks of each wave of new tasks.
/// </summary>
internal sealed class TaskGraph(TaskRegistry registry, TargetResolver resolver, ExistenceOracle existence)
{
    private readonly Dictionary<string, TaskNode> _nodes = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public IReadOnlyCollection<TaskNode> Nodes { get { lock (_lock) return _nodes.Values.ToList(); } }

    public ExistenceOracle Existence => existence;

    public TaskNode? Find(WorkflowTask task) { lock (_lock) return _nodes.GetValueOrDefault(task.TaskId); }

    /// <summary>Adds the tasks and everything they (transitively) require; returns their nodes.</summary>
    public async Task<IReadOnlyList<TaskNode>> AddAsync(IReadOnlyList<WorkflowTask> tasks, CancellationToken ct)
    {
        var wave = new List<TaskNode>();
        var roots = AddWithRequirements(tasks, wave);
        while (wave.Count > 0)
        {
            await existence.CheckAsync(TargetsOf(wave), ct);
            var fresh = new List<TaskNode>();
            foreach (var node in wave)
            {
                if (node.Manifest is null || !existence.Exists(node.Manifest) || !OutputsExist(node)) continue;
                var json = await resolver.ReadTextAsync(node.Manifest, ct);
                var recorded = DynamicDependencies.Deserialize(json, registry, resolver.UriOf(node.Manifest));
                var added = AddWithRequirements(recorded, fresh);
                lock (_lock) node.Dynamic.AddRange(added);
            }
            wave = fresh;
        }
        return roots;
    }

    /// <summary>Links tasks a running task asked for, adding them (and their requirements) to the graph.</summary>
    public async Task<IReadOnlyList<TaskNode>> AddDynamicAsync(TaskNode parent, IReadOnlyList<WorkflowTask> tasks, CancellationToken ct)
    {
        var nodes = await AddAsync(tasks, ct);
        // Nodes another running task added a moment ago are in the graph before their outputs are checked (that check
        // runs outside the lock): check whatever of this subgraph is still unknown (known targets are skipped), or
        // completeness would ask about a target nobody has looked at yet.
        await existence.CheckAsync(TargetsOf(StaticClosure(nodes)), ct);
        lock (_lock)
            foreach (var node in nodes.Where(n => !parent.Dynamic.Contains(n))) parent.Dynamic.Add(node);
        return nodes;
    }

    /// <summary><paramref name="roots"/> and everything they statically require, transitively.</summary>
    private List<TaskNode> StaticClosure(IReadOnlyList<TaskNode> roots)
    {
        var seen = new HashSet<TaskNode>(roots);
        var pending = new Stack<TaskNode>(roots);
        lock (_lock)
            while (pending.TryPop(out var node))
                foreach (var dependency in node.Requires)
                    if (seen.Add(dependency)) pending.Push(dependency);
        return [.. seen];
    }

    /// <summary>
    /// Adds <paramref name="tasks"/> and their static requirements, transitively; every node made is appended to
    /// <paramref name="created"/>. One long loop over the whole graph: compiled optimised at once, not first as
    /// tier-0 code (which made resolving 100,000 tasks several times slower).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private List<TaskNode> AddWithRequirements(IReadOnlyList<WorkflowTask> tasks, List<TaskNode> created)
    {
        lock (_lock)
        {
            var first = created.Count;
            var roots = new List<TaskNode>(tasks.Count);
            foreach (var task in tasks) roots.Add(GetOrAdd(task, created));
            for (var i = first; i < created.Count; i++)
            {
                var node = created[i];
                foreach (var required in node.Task.Requires()) node.Requires.Add(GetOrAdd(required, created));
            }
            return roots;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static List<Target> TargetsOf(List<TaskNode> nodes)
    {
        var targets = new List<Target>(nodes.Count * 2);
        foreach (var node in nodes)
        {
            targets.AddRange(node.Outputs);
            if (node.Manifest is not null) targets.Add(node.Manifest);
        }
        return targets;
    }

    private bool OutputsExist(TaskNode node)
    {
        foreach (var output in node.Outputs)
            if (!existence.Exists(output)) return false;
        return true;
    }

    private TaskNode GetOrAdd(WorkflowTask task, List<TaskNode> created)
    {
        if (_nodes.TryGetValue(task.TaskId, out var node)) return node;
        node = new TaskNode(task);
        _nodes[task.TaskId] = node;
        created.Add(node);
        return node;
    }
}
