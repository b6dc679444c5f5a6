namespace Detect.Engine.Scheduling;

/// <summary>One task in the resolved graph, with what it requires and what it makes.</summary>
internal sealed class TaskNode(WorkflowTask task)
{
    public WorkflowTask Task { get; } = task;
    public IReadOnlyList<Target> Outputs { get; } = task.Output().ToList();
    public Target? Manifest { get; } = DynamicDependencies.ManifestFor(task);
    public List<TaskNode> Requires { get; } = [];

    /// <summary>Dynamic dependencies: recorded by an earlier run, or requested by the current one.</summary>
    public List<TaskNode> Dynamic { get; } = [];

    public IEnumerable<TaskNode> AllDependencies => Requires.Concat(Dynamic);
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
        var roots = new List<TaskNode>();
        var wave = new List<TaskNode>();
        lock (_lock)
            foreach (var task in tasks) roots.Add(GetOrAdd(task, wave));
        while (wave.Count > 0)
        {
            var fresh = new List<TaskNode>();
            lock (_lock)
                for (var i = 0; i < wave.Count; i++)
                    foreach (var required in wave[i].Task.Requires())
                        wave[i].Requires.Add(GetOrAdd(required, wave));
            await existence.CheckAsync(wave.SelectMany(n => n.Manifest is null ? n.Outputs : n.Outputs.Append(n.Manifest)), ct);
            foreach (var node in wave.Where(n => n.Manifest is not null && existence.Exists(n.Manifest!) && n.Outputs.All(existence.Exists)))
            {
                var json = await resolver.ReadTextAsync(node.Manifest!, ct);
                var recorded = DynamicDependencies.Deserialize(json, registry, resolver.UriOf(node.Manifest!));
                lock (_lock)
                    foreach (var dynamic in recorded) node.Dynamic.Add(GetOrAdd(dynamic, fresh));
            }
            wave = fresh;
        }
        return roots;
    }

    /// <summary>Links tasks a running task asked for, adding them (and their requirements) to the graph.</summary>
    public async Task<IReadOnlyList<TaskNode>> AddDynamicAsync(TaskNode parent, IReadOnlyList<WorkflowTask> tasks, CancellationToken ct)
    {
        var nodes = await AddAsync(tasks, ct);
        lock (_lock)
            foreach (var node in nodes.Where(n => !parent.Dynamic.Contains(n))) parent.Dynamic.Add(node);
        return nodes;
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
