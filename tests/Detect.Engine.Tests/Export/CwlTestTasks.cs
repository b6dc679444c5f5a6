using System.ComponentModel;
using Detect.Engine.Parameters;

namespace Detect.Engine.Tests.Export;

/// <summary>
/// A three-level test graph for the CWL export: <see cref="CwlReport"/> ← <see cref="CwlGroup"/> (one per group) ←
/// <see cref="CwlItem"/> (dynamic, planned from the parameters). The report also has a data-dependent dynamic
/// requirement (<see cref="CwlFollowUp"/>, one per group whose sum is odd) that only its run can know, and each
/// group needs a local-cache fetch (<see cref="CwlSeedCache"/>) of a store input. Every run leaves a trace file,
/// so tests count runs across processes.
/// </summary>
[Description("test (CWL export): the report over every group")]
public sealed class CwlReport : WorkflowTask
{
    [Parameter] public string Scope { get; init; } = "";
    [Parameter] public int Groups { get; init; } = 3;
    [Parameter] public int Items { get; init; } = 2;
    [Parameter(Significant = false)] public string TraceDir { get; init; } = "";
    [Parameter(Significant = false, Help = "words with spaces, quotes and a colon: carried to the steps unchanged")]
    public string Title { get; init; } = "";

    public IEnumerable<CwlGroup> GroupTasks =>
        Enumerable.Range(0, Groups).Select(g => new CwlGroup { Scope = Scope, Group = g, Items = Items, TraceDir = TraceDir });

    public override IEnumerable<WorkflowTask> Requires() => GroupTasks;
    public override IEnumerable<Target> Output() => [new StoreTarget($"runs/{Scope}/report.txt")];

    public override async Task RunAsync(TaskContext context)
    {
        CwlTrace.Write(TraceDir, this);
        var lines = new List<string> { $"report {Title}" };
        var followUps = new List<CwlFollowUp>();
        foreach (var group in GroupTasks)
        {
            var text = await context.ReadTextAsync(group.Output().Single());
            lines.Add(text);
            var sum = int.Parse(text.Split("sum=")[1].Split(' ')[0]);
            if (sum % 2 == 1) followUps.Add(new CwlFollowUp { Scope = Scope, Group = group.Group, Value = sum, TraceDir = TraceDir });
        }
        await context.RequireAsync(followUps);
        foreach (var followUp in followUps) lines.Add(await context.ReadTextAsync(followUp.Output().Single()));
        await context.WriteTextAsync(Output().Single(), string.Join("\n", lines) + "\n");
    }
}

[Description("test (CWL export): one group: its items (planned ahead) summed, with the cached seed")]
public sealed class CwlGroup : WorkflowTask, IPlansDynamicRequirements
{
    [Parameter] public string Scope { get; init; } = "";
    [Parameter] public int Group { get; init; }
    [Parameter] public int Items { get; init; } = 2;
    [Parameter(Significant = false)] public string TraceDir { get; init; } = "";

    private CwlSeedCache Seed => new() { Scope = Scope };
    private IEnumerable<CwlItem> ItemTasks => Enumerable.Range(0, Items).Select(i => new CwlItem { Scope = Scope, Group = Group, Index = i, TraceDir = TraceDir });

    public override IEnumerable<WorkflowTask> Requires() => [Seed];
    public override IEnumerable<Target> Output() => [new StoreTarget($"runs/{Scope}/group-{Group}.txt")];

    public Task<IReadOnlyList<WorkflowTask>?> PlanDynamicRequirementsAsync(TargetResolver targets, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<WorkflowTask>?>(ItemTasks.ToList());

    public override async Task RunAsync(TaskContext context)
    {
        CwlTrace.Write(TraceDir, this);
        var items = ItemTasks.ToList();
        await context.RequireAsync(items);
        var sum = 0;
        foreach (var item in items) sum += int.Parse(await context.ReadTextAsync(item.Output().Single()));
        var seed = (await File.ReadAllTextAsync(Seed.CachedFile)).Trim();
        await context.WriteTextAsync(Output().Single(), $"group {Group}: sum={sum} seed={seed}");
    }
}

[Description("test (CWL export): one item")]
public sealed class CwlItem : WorkflowTask
{
    [Parameter] public string Scope { get; init; } = "";
    [Parameter] public int Group { get; init; }
    [Parameter] public int Index { get; init; }
    [Parameter(Significant = false)] public string TraceDir { get; init; } = "";
    [Parameter(Significant = false, Help = "holds a GPU while it runs")] public bool Gpu { get; init; }

    public override IEnumerable<Target> Output() => [new StoreTarget($"runs/{Scope}/items/{Group}-{Index}.txt")];
    public override IReadOnlyDictionary<string, int> Resources => Gpu ? new Dictionary<string, int> { ["gpu"] = 1 } : base.Resources;

    public override Task RunAsync(TaskContext context)
    {
        CwlTrace.Write(TraceDir, this);
        return context.WriteTextAsync(Output().Single(), ((Group + 1) * (10 + Index)).ToString());
    }
}

[Description("test (CWL export): a data-dependent follow-up of one group")]
public sealed class CwlFollowUp : WorkflowTask
{
    [Parameter] public string Scope { get; init; } = "";
    [Parameter] public int Group { get; init; }
    [Parameter] public int Value { get; init; }
    [Parameter(Significant = false)] public string TraceDir { get; init; } = "";

    public override IEnumerable<Target> Output() => [new StoreTarget($"runs/{Scope}/follow-up-{Group}.txt")];

    public override Task RunAsync(TaskContext context)
    {
        CwlTrace.Write(TraceDir, this);
        return context.WriteTextAsync(Output().Single(), $"follow-up {Group}: {Value * Value}");
    }
}

/// <summary>
/// The seed input copied to a per-machine folder (like a model file into the cache): every node fetches its own.
/// The folder is under the temp folder, which each CWL job has its own of, rather than the cache, whose location
/// in-process CLI tests change for the whole test process (DETECT_CACHE_DIR).
/// </summary>
public sealed class CwlSeedCache : LocalCacheTask
{
    [Parameter] public string Scope { get; init; } = "";

    public static string FolderOf(string scope) => Path.Combine(Path.GetTempPath(), "detect-cwl-test-seeds", scope);
    public string CachedFile => Path.Combine(FolderOf(Scope), "seed.txt");

    public override IEnumerable<WorkflowTask> Requires() => [new CwlSeed { Scope = Scope }];
    public override IEnumerable<Target> Output() => [new LocalFileTarget(CachedFile)];

    public override async Task RunAsync(TaskContext context) =>
        File.Copy(await context.Targets.LocalPathAsync(CwlSeed.TargetFor(Scope)), context.StagePath(Output().Single()));
}

public sealed class CwlSeed : ExternalTask
{
    [Parameter] public string Scope { get; init; } = "";
    public static StoreTarget TargetFor(string scope) => new($"inputs/{scope}/seed.txt");
    public override IEnumerable<Target> Output() => [TargetFor(Scope)];
}

/// <summary>One file per run of a task in a local folder: counts runs across processes.</summary>
public static class CwlTrace
{
    public static void Write(string dir, WorkflowTask task)
    {
        if (dir.Length == 0) return;
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, $"{task.TaskId}.{Guid.NewGuid():N}"), "");
    }

    public static Dictionary<string, int> Count(string dir) =>
        !Directory.Exists(dir) ? []
        : Directory.GetFiles(dir).Select(f => Path.GetFileName(f)[..Path.GetFileName(f).LastIndexOf('.')])
            .GroupBy(id => id).ToDictionary(g => g.Key, g => g.Count());
}
