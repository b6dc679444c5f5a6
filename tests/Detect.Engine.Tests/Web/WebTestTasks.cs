using Detect.Engine.Parameters;
using Detect.Engine.Tests.Storage.S3;
using Microsoft.Extensions.Logging;

namespace Detect.Engine.Tests.Web;

/// <summary>
/// A wide graph (<see cref="TracedJoin"/> of <see cref="Count"/> steps) beside a task that logs and fails, and one
/// that runs for <see cref="SlowSeconds"/> reporting progress (long enough to be seen running from elsewhere).
/// </summary>
public sealed class WideWithFailure : WrapperTask
{
    [Parameter] public string Scope { get; init; } = "";
    [Parameter] public int Count { get; init; } = 10_000;
    [Parameter(Significant = false)] public int SleepMs { get; init; }
    [Parameter(Significant = false)] public int SlowSeconds { get; init; }
    public override IEnumerable<WorkflowTask> Requires() =>
        [new TracedJoin { Scope = Scope, Count = Count, Folders = Math.Max(1, Count / 100), SleepMs = SleepMs }, new LoudFailure { Scope = Scope },
         new SlowProgress { Scope = Scope, Seconds = SlowSeconds }];
}

/// <summary>Logs what it is about to do, then fails with a clear reason.</summary>
public sealed class LoudFailure : WorkflowTask
{
    [Parameter] public string Scope { get; init; } = "";
    public override IEnumerable<Target> Output() => [new StoreTarget($"runs/{Scope}/loud.txt")];
    public override Task RunAsync(TaskContext context)
    {
        context.Logger.LogInformation("reading the reference table for {Scope}", Scope);
        throw new InvalidDataException("reference table is empty: nothing to compare with");
    }
}

/// <summary>Takes <see cref="Seconds"/>, reporting progress in tenths of a second.</summary>
public sealed class SlowProgress : WorkflowTask
{
    [Parameter] public string Scope { get; init; } = "";
    [Parameter(Significant = false)] public int Seconds { get; init; }
    public override IEnumerable<Target> Output() => [new StoreTarget($"runs/{Scope}/slow.txt")];
    public override async Task RunAsync(TaskContext context)
    {
        using (var progress = context.Progress(Seconds * 10, "steps"))
            for (var i = 0; i < Seconds * 10; i++)
            {
                await Task.Delay(100, context.CancellationToken);
                progress.Advance();
            }
        await context.WriteTextAsync(Output().Single(), "slow");
    }
}
