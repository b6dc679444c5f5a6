using Detect.Engine;
using Detect.Engine.Parameters;

namespace Detect.Bench;

/// <summary>
/// One trivial task of the engine benchmark graph: writes one small output. The graph has <see cref="Layers"/>
/// layers of <c>Tasks / Layers</c> steps; a step needs the step in the same column of the layer below, so the
/// scheduler resolves, orders and runs real dependencies. Outputs spread over <see cref="Folders"/> folders.
/// </summary>
public sealed class BenchStep : WorkflowTask
{
    [Parameter] public int Index { get; init; }
    [Parameter] public int Tasks { get; init; }
    [Parameter] public int Folders { get; init; }
    [Parameter] public int Layers { get; init; }
    [Parameter(Significant = false, Help = "sleep this long in each task (work-sharing benchmark)")] public int SleepMs { get; init; }

    private int Width => Math.Max(1, Tasks / Math.Max(1, Layers));

    public override IEnumerable<WorkflowTask> Requires() =>
        Index >= Width ? [new BenchStep { Index = Index - Width, Tasks = Tasks, Folders = Folders, Layers = Layers, SleepMs = SleepMs }] : [];

    public override IEnumerable<Target> Output() => [new StoreTarget($"bench/{Tasks}-{Layers}/f{Index % Math.Max(1, Folders)}/t{Index}.txt")];

    public override async Task RunAsync(TaskContext context)
    {
        if (SleepMs > 0) await Task.Delay(SleepMs, context.CancellationToken);
        await context.WriteTextAsync(Output().Single(), "done");
    }
}

/// <summary>The benchmark graph: needs the top layer's steps (and so, through them, every step).</summary>
public sealed class BenchGraph : WrapperTask
{
    [Parameter] public int Tasks { get; init; } = 10_000;
    [Parameter(Help = "output folders (default: one per 100 tasks)")] public int Folders { get; init; }
    [Parameter] public int Layers { get; init; } = 10;
    [Parameter(Significant = false)] public int SleepMs { get; init; }

    private int FolderCount => Folders > 0 ? Folders : Math.Max(1, Tasks / 100);

    public override IEnumerable<WorkflowTask> Requires()
    {
        var width = Math.Max(1, Tasks / Math.Max(1, Layers));
        return Enumerable.Range(Math.Max(0, Tasks - width), Math.Min(width, Tasks))
            .Select(i => new BenchStep { Index = i, Tasks = Tasks, Folders = FolderCount, Layers = Layers, SleepMs = SleepMs });
    }
}
