using System.ComponentModel;
using Detect.Engine.Parameters;
using Detect.Engine.Tests.Storage.S3;

namespace Detect.Engine.Tests.Watch;

/// <summary>
/// One row of a watched trigger: writes runs/scope/watch/name.txt, leaves a trace file per run (counts runs across
/// processes), sleeps if asked, and fails on purpose with <see cref="Fail"/>.
/// </summary>
[Description("test: one watched row")]
public sealed class WatchStep : WorkflowTask
{
    [Parameter] public string Scope { get; init; } = "";
    [Parameter] public string Name { get; init; } = "";
    [Parameter] public int Count { get; init; } = 1;
    [Parameter(Significant = false)] public bool Fail { get; init; }
    [Parameter(Significant = false)] public string TraceDir { get; init; } = "";
    [Parameter(Significant = false)] public int SleepMs { get; init; }

    public override IEnumerable<Target> Output() => [new StoreTarget($"runs/{Scope}/watch/{Name}.txt")];

    public override async Task RunAsync(TaskContext context)
    {
        Trace.Write(TraceDir, Name);
        if (SleepMs > 0) await Task.Delay(SleepMs, context.CancellationToken);
        if (Fail) throw new InvalidOperationException($"planned failure of {Name}");
        await context.WriteTextAsync(Output().Single(), $"{Name} x{Count}");
    }
}
