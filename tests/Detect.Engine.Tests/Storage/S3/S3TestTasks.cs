using System.Collections.Concurrent;
using System.ComponentModel;
using Detect.Engine.Parameters;

namespace Detect.Engine.Tests.Storage.S3;

/// <summary>Per-scope hooks a test runs inside <see cref="TracedStep.RunAsync"/> (in-process runs only).</summary>
public static class StepHooks
{
    private static readonly ConcurrentDictionary<string, Func<int, Task>> Hooks = new();
    public static void Set(string scope, Func<int, Task> hook) => Hooks[scope] = hook;
    public static void Clear(string scope) => Hooks.TryRemove(scope, out _);
    internal static Task RunAsync(string scope, int index) => Hooks.TryGetValue(scope, out var hook) ? hook(index) : Task.CompletedTask;
}

/// <summary>
/// One small task of a wide graph: writes runs/scope/f{Index % Folders}/s{Index}.txt and, for counting runs
/// across processes, leaves one trace file per run in <see cref="TraceDir"/> (a local folder).
/// </summary>
[Description("test: one step of a wide graph, traced per run")]
public sealed class TracedStep : WorkflowTask
{
    [Parameter] public string Scope { get; init; } = "";
    [Parameter] public int Index { get; init; }
    [Parameter] public int Folders { get; init; } = 1;
    [Parameter(Significant = false)] public string TraceDir { get; init; } = "";
    [Parameter(Significant = false)] public int SleepMs { get; init; }
    /// <summary>This step needs step <c>Index - 1</c> (a chain instead of a fan).</summary>
    [Parameter(Significant = false)] public bool Chain { get; init; }

    public override IEnumerable<WorkflowTask> Requires() =>
        Chain && Index > 0
            ? [new TracedStep { Scope = Scope, Index = Index - 1, Folders = Folders, TraceDir = TraceDir, SleepMs = SleepMs, Chain = Chain }]
            : [];

    public override IEnumerable<Target> Output() => [new StoreTarget($"runs/{Scope}/f{Index % Folders}/s{Index}.txt")];

    public override async Task RunAsync(TaskContext context)
    {
        Trace.Write(TraceDir, $"s{Index}");
        RunLog.Add(Scope, $"s{Index}");
        await StepHooks.RunAsync(Scope, Index);
        if (SleepMs > 0) await Task.Delay(SleepMs, context.CancellationToken);
        await context.WriteTextAsync(Output().Single(), $"step {Index}");
    }
}

/// <summary>Needs <see cref="Count"/> traced steps spread over <see cref="Folders"/> folders; writes runs/scope/join.txt.</summary>
[Description("test: joins a wide graph of traced steps")]
public sealed class TracedJoin : WorkflowTask
{
    [Parameter] public string Scope { get; init; } = "";
    [Parameter] public int Count { get; init; } = 10;
    [Parameter] public int Folders { get; init; } = 1;
    [Parameter(Significant = false)] public string TraceDir { get; init; } = "";
    [Parameter(Significant = false)] public int SleepMs { get; init; }
    [Parameter(Significant = false)] public bool Chain { get; init; }

    public override IEnumerable<WorkflowTask> Requires() =>
        (Chain ? [Count - 1] : Enumerable.Range(0, Count)).Select(i => new TracedStep
        {
            Scope = Scope, Index = i, Folders = Folders, TraceDir = TraceDir, SleepMs = SleepMs, Chain = Chain,
        });

    public override IEnumerable<Target> Output() => [new StoreTarget($"runs/{Scope}/join.txt")];

    public override async Task RunAsync(TaskContext context)
    {
        Trace.Write(TraceDir, "join");
        RunLog.Add(Scope, "join");
        await context.WriteTextAsync(Output().Single(), $"joined {Count}");
    }
}

/// <summary>Stages a large random output (multipart on S3), so a test can kill the process while it uploads.</summary>
[Description("test: one large output")]
public sealed class LargeOutput : WorkflowTask
{
    [Parameter] public string Scope { get; init; } = "";
    [Parameter] public int SizeMb { get; init; } = 96;

    public override IEnumerable<Target> Output() => [new StoreTarget($"runs/{Scope}/large.bin")];

    public override async Task RunAsync(TaskContext context)
    {
        var buffer = new byte[1 << 20];
        await using var file = File.Create(context.StagePath(Output().Single()));
        for (var i = 0; i < SizeMb; i++)
        {
            Random.Shared.NextBytes(buffer);
            await file.WriteAsync(buffer, context.CancellationToken);
        }
    }
}

/// <summary>One file per task run in a local folder: counts runs across processes.</summary>
internal static class Trace
{
    public static void Write(string dir, string name)
    {
        if (dir.Length == 0) return;
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, $"{name}.{Environment.ProcessId}.{Guid.NewGuid():N}"), "");
    }

    public static IReadOnlyDictionary<string, int> Count(string dir) =>
        Directory.Exists(dir)
            ? Directory.GetFiles(dir).GroupBy(f => Path.GetFileName(f).Split('.')[0]).ToDictionary(g => g.Key, g => g.Count())
            : new Dictionary<string, int>();
}
