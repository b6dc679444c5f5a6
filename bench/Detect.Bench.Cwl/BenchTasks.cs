using Detect.Engine;
using Detect.Engine.Parameters;

namespace Detect.Bench.Cwl;

/// <summary>The root: needs every group.</summary>
public sealed class BenchReport : WorkflowTask
{
    [Parameter] public int Groups { get; init; }
    [Parameter] public int Items { get; init; }
    public override IEnumerable<WorkflowTask> Requires() => Enumerable.Range(0, Groups).Select(g => new BenchGroup { Group = g, Items = Items });
    public override IEnumerable<Target> Output() => [new StoreTarget("bench/report.txt")];
    public override Task RunAsync(TaskContext context) => context.WriteTextAsync(Output().Single(), "report");
}

/// <summary>One group: its items are dynamic requirements, planned from the parameters.</summary>
public sealed class BenchGroup : WorkflowTask, IPlansDynamicRequirements
{
    [Parameter] public int Group { get; init; }
    [Parameter] public int Items { get; init; }
    private IEnumerable<BenchItem> ItemTasks => Enumerable.Range(0, Items).Select(i => new BenchItem { Group = Group, Index = i });
    public override IEnumerable<Target> Output() => [new StoreTarget($"bench/g{Group}.txt")];
    public Task<IReadOnlyList<WorkflowTask>?> PlanDynamicRequirementsAsync(TargetResolver targets, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<WorkflowTask>?>(ItemTasks.ToList());
    public override async Task RunAsync(TaskContext context)
    {
        await context.RequireAsync(ItemTasks);
        await context.WriteTextAsync(Output().Single(), "group");
    }
}

public sealed class BenchItem : WorkflowTask
{
    [Parameter] public int Group { get; init; }
    [Parameter] public int Index { get; init; }
    [Parameter(Help = "a realistic parameter load: Detect's tasks have ~10")] public string Model { get; init; } = "spectrogram_v0.0.11_2021-07-13";
    [Parameter] public string Roi { get; init; } = "bali";
    [Parameter] public DateOnly StartDate { get; init; } = new(2019, 1, 1);
    [Parameter] public DateOnly EndDate { get; init; } = new(2021, 6, 1);
    public override IEnumerable<Target> Output() => [new StoreTarget($"bench/items/g{Group}/i{Index}.txt")];
    public override Task RunAsync(TaskContext context) => context.WriteTextAsync(Output().Single(), "item");
}
