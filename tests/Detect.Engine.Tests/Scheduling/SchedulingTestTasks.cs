using Detect.Engine.Parameters;

namespace Detect.Engine.Tests.Scheduling;

/// <summary>
/// For interrupt tests: <c>InterruptGraph → InterruptDownstream → InterruptSlow → Step(first)</c>. The slow task
/// stages half its output, writes <c>started</c> into <see cref="MarkerDir"/> and then, by <see cref="Mode"/>:
/// <c>block</c> waits until cancelled; <c>stubborn</c> never stops (ignores cancellation); <c>linger</c> sees the
/// cancellation, stages the rest of its output for another 300 ms and returns normally; <c>done</c> finishes at once.
/// Mode and marker are insignificant: a rerun with <c>--mode done</c> is the same task.
/// </summary>
public sealed class InterruptGraph : WrapperTask
{
    [Parameter] public string Scope { get; init; } = "";
    [Parameter(Significant = false)] public string MarkerDir { get; init; } = "";
    [Parameter(Significant = false)] public string Mode { get; init; } = "block";
    public override IEnumerable<WorkflowTask> Requires() => [new InterruptDownstream { Scope = Scope, MarkerDir = MarkerDir, Mode = Mode }];
}

public sealed class InterruptDownstream : WorkflowTask
{
    [Parameter] public string Scope { get; init; } = "";
    [Parameter(Significant = false)] public string MarkerDir { get; init; } = "";
    [Parameter(Significant = false)] public string Mode { get; init; } = "block";
    public override IEnumerable<WorkflowTask> Requires() => [new InterruptSlow { Scope = Scope, MarkerDir = MarkerDir, Mode = Mode }];
    public override IEnumerable<Target> Output() => [new StoreTarget($"runs/{Scope}/downstream.txt")];
    public override Task RunAsync(TaskContext context)
    {
        RunLog.Add(Scope, "downstream");
        return context.WriteTextAsync(Output().Single(), "downstream");
    }
}

public sealed class InterruptSlow : WorkflowTask
{
    [Parameter] public string Scope { get; init; } = "";
    [Parameter(Significant = false)] public string MarkerDir { get; init; } = "";
    [Parameter(Significant = false)] public string Mode { get; init; } = "block";
    public override IEnumerable<WorkflowTask> Requires() => [new Step { Scope = Scope, Name = "first" }];
    public override IEnumerable<Target> Output() => [new StoreTarget($"runs/{Scope}/slow-a.txt"), new StoreTarget($"runs/{Scope}/slow-b.txt")];

    public override async Task RunAsync(TaskContext context)
    {
        RunLog.Add(Scope, "slow");
        var (a, b) = (Output().First(), Output().Last());
        await File.WriteAllTextAsync(context.StagePath(a), "half");
        if (MarkerDir.Length > 0)
        {
            Directory.CreateDirectory(MarkerDir);
            await File.WriteAllTextAsync(Path.Combine(MarkerDir, "started"), Environment.ProcessId.ToString());
        }
        switch (Mode)
        {
            case "block": await Task.Delay(System.Threading.Timeout.Infinite, context.CancellationToken); break;
            case "stubborn": await Task.Delay(System.Threading.Timeout.Infinite, CancellationToken.None); break;
            case "linger":
                while (!context.CancellationToken.IsCancellationRequested) await Task.Delay(10, CancellationToken.None);
                await Task.Delay(300, CancellationToken.None);
                break;
        }
        await File.WriteAllTextAsync(context.StagePath(b), "whole");
    }
}

/// <summary>For priority tests: a task whose <see cref="WorkflowTask.Priority"/> is a parameter; logs its name when it runs.</summary>
public sealed class Prioritized : WorkflowTask
{
    [Parameter] public string Scope { get; init; } = "";
    [Parameter] public string Name { get; init; } = "";
    [Parameter(Significant = false)] public int Rank { get; init; }
    [Parameter(Significant = false, Help = "names of Prioritized tasks (priority 0) this one requires")] public string[] Needs { get; init; } = [];

    public override int Priority => Rank;
    public override IEnumerable<WorkflowTask> Requires() => Needs.Select(n => new Prioritized { Scope = Scope, Name = n });
    public override IEnumerable<Target> Output() => [new StoreTarget($"runs/{Scope}/{Name}.txt")];
    public override Task RunAsync(TaskContext context)
    {
        RunLog.Add(Scope, Name);
        return context.WriteTextAsync(Output().Single(), Name);
    }
}

/// <summary>
/// Requires one <see cref="Prioritized"/> per item of <see cref="Items"/>, in order: <c>name:rank</c>, or
/// <c>name:rank:need</c> for one that requires another; <c>step:name</c> for a <see cref="Step"/> (family priority tests).
/// </summary>
public sealed class PriorityGroup : WrapperTask
{
    [Parameter] public string Scope { get; init; } = "";
    [Parameter] public string[] Items { get; init; } = [];

    public override IEnumerable<WorkflowTask> Requires() => Items.Select(item => item.Split(':')).Select(WorkflowTask (p) => p[0] == "step"
        ? new Step { Scope = Scope, Name = p[1] }
        : new Prioritized { Scope = Scope, Name = p[0], Rank = int.Parse(p[1]), Needs = p.Length > 2 ? [p[2]] : [] });
}

/// <summary>
/// Like <see cref="DynamicCollector"/>, but it can say beforehand what it will require
/// (<see cref="IPlansDynamicRequirements"/>) — unless <see cref="Plannable"/> is false (then: known only when it runs).
/// </summary>
public sealed class PlannedCollector : WorkflowTask, IPlansDynamicRequirements
{
    [Parameter] public string Scope { get; init; } = "";
    [Parameter] public string[] Parts { get; init; } = [];
    [Parameter] public bool Plannable { get; init; } = true;

    private Step[] PartTasks => Parts.Select(p => new Step { Scope = Scope, Name = p }).ToArray();
    public override IEnumerable<Target> Output() => [new StoreTarget($"runs/{Scope}/planned.txt")];

    public Task<IReadOnlyList<WorkflowTask>?> PlanDynamicRequirementsAsync(TargetResolver targets, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<WorkflowTask>?>(Plannable ? PartTasks : null);

    public override async Task RunAsync(TaskContext context)
    {
        RunLog.Add(Scope, "planned");
        await context.RequireAsync(PartTasks);
        await context.WriteTextAsync(Output().Single(), string.Join("|", Parts));
    }
}

/// <summary>Priority 5; asks at run time for one <see cref="Step"/> per part (they inherit its priority).</summary>
public sealed class UrgentCollector : WorkflowTask
{
    [Parameter] public string Scope { get; init; } = "";
    [Parameter] public string[] Parts { get; init; } = [];
    public override int Priority => 5;
    public override IEnumerable<Target> Output() => [new StoreTarget($"runs/{Scope}/urgent.txt")];
    public override async Task RunAsync(TaskContext context)
    {
        RunLog.Add(Scope, "urgent");
        await context.RequireAsync(Parts.Select(p => new Step { Scope = Scope, Name = p }).ToArray());
        await context.WriteTextAsync(Output().Single(), "urgent");
    }
}

/// <summary>A <see cref="Prioritized"/> "other" (priority 0) beside an <see cref="UrgentCollector"/>.</summary>
public sealed class UrgentGroup : WrapperTask
{
    [Parameter] public string Scope { get; init; } = "";
    public override IEnumerable<WorkflowTask> Requires() =>
        [new Prioritized { Scope = Scope, Name = "other" }, new UrgentCollector { Scope = Scope, Parts = ["p1", "p2"] }];
}
