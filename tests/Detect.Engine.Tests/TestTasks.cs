using System.Collections.Concurrent;
using System.ComponentModel;
using Detect.Engine.Parameters;

namespace Detect.Engine.Tests;

/// <summary>Records which tasks ran, per test scope, so tests can assert exactly what (re)ran.</summary>
public static class RunLog
{
    private static readonly ConcurrentDictionary<string, ConcurrentQueue<string>> Runs = new();
    public static void Add(string scope, string name) => Runs.GetOrAdd(scope, _ => new()).Enqueue(name);
    public static IReadOnlyList<string> Of(string scope) => Runs.GetOrAdd(scope, _ => new()).ToList();
    public static void Clear(string scope) => Runs.TryRemove(scope, out _);
}

/// <summary>
/// A task that writes "name&lt;inputs&gt;" to runs/scope/name.txt. <see cref="Graph"/> describes the whole test
/// graph as "a:b,c;b:d" (a needs b and c, b needs d), so every step can find its own requirements.
/// </summary>
[Description("test: writes one text file")]
public sealed class Step : WorkflowTask
{
    [Parameter] public string Scope { get; init; } = "";
    [Parameter] public string Name { get; init; } = "";
    [Parameter(Help = "edges, e.g. top:left,right;left:base")] public string Graph { get; init; } = "";
    [Parameter(Significant = false)] public int FailTimes { get; init; }

    private IEnumerable<string> Needs => Graph.Split(';', StringSplitOptions.RemoveEmptyEntries)
        .Select(e => e.Split(':'))
        .Where(e => e[0] == Name)
        .SelectMany(e => e[1].Split(',', StringSplitOptions.RemoveEmptyEntries));

    public override IEnumerable<WorkflowTask> Requires() => Needs.Select(n => new Step { Scope = Scope, Name = n, Graph = Graph });
    public override IEnumerable<Target> Output() => [new StoreTarget($"runs/{Scope}/{Name}.txt")];

    public override async Task RunAsync(TaskContext context)
    {
        RunLog.Add(Scope, Name);
        var attempts = RunLog.Of(Scope).Count(n => n == Name);
        if (attempts <= FailTimes) throw new InvalidOperationException($"planned failure {attempts} of {Name}");
        var inputs = new List<string>();
        foreach (var need in Requires()) inputs.Add(await context.ReadTextAsync(need.Output().Single()));
        await context.WriteTextAsync(Output().Single(), Name + "<" + string.Join(",", inputs) + ">");
    }
}

public sealed class Root : WrapperTask
{
    [Parameter] public string Scope { get; init; } = "";
    [Parameter] public string[] Names { get; init; } = [];
    public override IEnumerable<WorkflowTask> Requires() => Names.Select(n => new Step { Scope = Scope, Name = n });
}

public sealed class AlwaysFails : WorkflowTask
{
    [Parameter] public string Scope { get; init; } = "";
    public override IEnumerable<Target> Output() => [new StoreTarget($"runs/{Scope}/never.txt")];
    public override Task RunAsync(TaskContext context)
    {
        RunLog.Add(Scope, "fail");
        throw new InvalidOperationException("boom");
    }
}

public sealed class DependsOnFailure : WorkflowTask
{
    [Parameter] public string Scope { get; init; } = "";
    public override IEnumerable<WorkflowTask> Requires() => [new AlwaysFails { Scope = Scope }];
    public override IEnumerable<Target> Output() => [new StoreTarget($"runs/{Scope}/after-fail.txt")];
    public override Task RunAsync(TaskContext context)
    {
        RunLog.Add(Scope, "after-fail");
        return context.WriteTextAsync(Output().Single(), "x");
    }
}

public sealed class FailureAndIndependent : WrapperTask
{
    [Parameter] public string Scope { get; init; } = "";
    public override IEnumerable<WorkflowTask> Requires() => [new DependsOnFailure { Scope = Scope }, new Step { Scope = Scope, Name = "independent" }];
}

/// <summary>Writes half its output, then throws.</summary>
public sealed class HalfWriter : WorkflowTask
{
    [Parameter] public string Scope { get; init; } = "";
    public override IEnumerable<Target> Output() => [new StoreTarget($"runs/{Scope}/a.bin"), new StoreTarget($"runs/{Scope}/b.bin")];
    public override async Task RunAsync(TaskContext context)
    {
        await File.WriteAllBytesAsync(context.StagePath(Output().First()), new byte[1000]);
        await using (var half = File.Create(context.StagePath(Output().Last()))) await half.WriteAsync(new byte[10]);
        throw new IOException("disk on fire after half the output");
    }
}

public sealed class Sleeper : WorkflowTask
{
    [Parameter] public string Scope { get; init; } = "";
    public override TimeSpan? Timeout => TimeSpan.FromMilliseconds(300);
    public override IEnumerable<Target> Output() => [new StoreTarget($"runs/{Scope}/slept.txt")];
    public override async Task RunAsync(TaskContext context)
    {
        RunLog.Add(Scope, "sleep");
        await Task.Delay(TimeSpan.FromMinutes(5), context.CancellationToken);
        await context.WriteTextAsync(Output().Single(), "late");
    }
}

/// <summary>Counts how many instances run at once; each waits (bounded) until <see cref="Expected"/> are running.</summary>
public sealed class ConcurrencyProbe : WorkflowTask
{
    private static readonly ConcurrentDictionary<string, int[]> State = new(); // [running, max]
    [Parameter] public string Scope { get; init; } = "";
    [Parameter] public int Index { get; init; }
    [Parameter] public int Expected { get; init; } = 4;
    [Parameter] public bool UsesGpu { get; init; }

    public static int MaxConcurrent(string scope) => State.GetOrAdd(scope, _ => new int[2])[1];

    public override IReadOnlyDictionary<string, int> Resources =>
        UsesGpu ? new Dictionary<string, int> { ["gpu"] = 1 } : base.Resources;

    public override IEnumerable<Target> Output() => [new StoreTarget($"runs/{Scope}/probe{Index}.txt")];

    public override async Task RunAsync(TaskContext context)
    {
        var state = State.GetOrAdd(Scope, _ => new int[2]);
        var now = Interlocked.Increment(ref state[0]);
        lock (state) state[1] = Math.Max(state[1], now);
        var deadline = DateTime.UtcNow.AddSeconds(UsesGpu ? 0.3 : 10);
        while (Volatile.Read(ref state[0]) < Expected && DateTime.UtcNow < deadline) await Task.Delay(10);
        Interlocked.Decrement(ref state[0]);
        await context.WriteTextAsync(Output().Single(), "ok");
    }
}

public sealed class ProbeGroup : WrapperTask
{
    [Parameter] public string Scope { get; init; } = "";
    [Parameter] public int Count { get; init; } = 4;
    [Parameter] public bool UsesGpu { get; init; }
    public override IEnumerable<WorkflowTask> Requires() =>
        Enumerable.Range(0, Count).Select(i => new ConcurrencyProbe { Scope = Scope, Index = i, Expected = Count, UsesGpu = UsesGpu });
}

/// <summary>Asks for its inputs at run time (Luigi's yield): one Step per name in <see cref="Parts"/>.</summary>
public sealed class DynamicCollector : WorkflowTask
{
    [Parameter] public string Scope { get; init; } = "";
    [Parameter] public string[] Parts { get; init; } = [];
    public override IEnumerable<Target> Output() => [new StoreTarget($"runs/{Scope}/collected.txt")];
    public override async Task RunAsync(TaskContext context)
    {
        RunLog.Add(Scope, "collector");
        var parts = Parts.Select(p => new Step { Scope = Scope, Name = p }).ToArray();
        await context.RequireAsync(parts);
        var texts = new List<string>();
        foreach (var part in parts) texts.Add(await context.ReadTextAsync(part.Output().Single()));
        await context.WriteTextAsync(Output().Single(), string.Join("|", texts));
    }
}

public sealed class UsesDynamic : WorkflowTask
{
    [Parameter] public string Scope { get; init; } = "";
    public override IEnumerable<WorkflowTask> Requires() => [new DynamicCollector { Scope = Scope, Parts = ["p1", "p2"] }];
    public override IEnumerable<Target> Output() => [new StoreTarget($"runs/{Scope}/final.txt")];
    public override async Task RunAsync(TaskContext context)
    {
        RunLog.Add(Scope, "final");
        await context.WriteTextAsync(Output().Single(), "final:" + await context.ReadTextAsync(Requires().Single().Output().Single()));
    }
}

/// <summary>Copies a store object into a local cache directory.</summary>
public sealed class FetchToCache : LocalCacheTask
{
    [Parameter] public string Scope { get; init; } = "";
    [Parameter] public string CacheDir { get; init; } = "";
    public override IEnumerable<WorkflowTask> Requires() => [new StoredInput { Scope = Scope }];
    public override IEnumerable<Target> Output() => [new LocalFileTarget(Path.Combine(CacheDir, Scope, "model.bin"))];
    public override async Task RunAsync(TaskContext context)
    {
        RunLog.Add(Scope, "fetch");
        File.Copy(await context.Targets.LocalPathAsync(new StoreTarget($"inputs/{Scope}/model.bin")), context.StagePath(Output().Single()));
    }
}

/// <summary>Copies a store object into the run's cache folder (a <see cref="CacheFileTarget"/>: the folder comes from the resolver).</summary>
public sealed class FetchToRunCache : LocalCacheTask
{
    [Parameter] public string Scope { get; init; } = "";
    public CacheFileTarget Cached => new($"fetched/{Scope}/model.bin");
    public override IEnumerable<WorkflowTask> Requires() => [new StoredInput { Scope = Scope }];
    public override IEnumerable<Target> Output() => [Cached];
    public override async Task RunAsync(TaskContext context)
    {
        RunLog.Add(Scope, "fetch into " + context.CacheDirectory);
        File.Copy(await context.Targets.LocalPathAsync(new StoredInput { Scope = Scope }.Output().Single()), context.StagePath(Cached));
    }
}

/// <summary>Records which cached file it used: <c>runs/scope/name.txt</c> holds the path.</summary>
public sealed class UsesRunCache : WorkflowTask
{
    [Parameter] public string Scope { get; init; } = "";
    [Parameter] public string Name { get; init; } = "";
    public override IEnumerable<WorkflowTask> Requires() => [new FetchToRunCache { Scope = Scope }];
    public override IEnumerable<Target> Output() => [new StoreTarget($"runs/{Scope}/{Name}.txt")];
    public override async Task RunAsync(TaskContext context)
    {
        RunLog.Add(Scope, Name);
        await context.WriteTextAsync(Output().Single(), await context.Targets.LocalPathAsync(new FetchToRunCache { Scope = Scope }.Cached));
    }
}

public sealed class StoredInput : ExternalTask
{
    [Parameter] public string Scope { get; init; } = "";
    public override IEnumerable<Target> Output() => [new StoreTarget($"inputs/{Scope}/model.bin")];
}

public sealed class UsesCache : WorkflowTask
{
    [Parameter] public string Scope { get; init; } = "";
    [Parameter] public string CacheDir { get; init; } = "";
    [Parameter] public string Name { get; init; } = "";
    public override IEnumerable<WorkflowTask> Requires() => [new FetchToCache { Scope = Scope, CacheDir = CacheDir }];
    public override IEnumerable<Target> Output() => [new StoreTarget($"runs/{Scope}/{Name}.txt")];
    public override async Task RunAsync(TaskContext context)
    {
        RunLog.Add(Scope, Name);
        await context.WriteTextAsync(Output().Single(), "used " + new FileInfo(((LocalFileTarget)Requires().Single().Output().Single()).Path).Length);
    }
}

public sealed class CacheUsers : WrapperTask
{
    [Parameter] public string Scope { get; init; } = "";
    [Parameter] public string CacheDir { get; init; } = "";
    public override IEnumerable<WorkflowTask> Requires() =>
        [new UsesCache { Scope = Scope, CacheDir = CacheDir, Name = "u1" }, new UsesCache { Scope = Scope, CacheDir = CacheDir, Name = "u2" }];
}

public enum Flavour { Plain, ExtraSpicy }

/// <summary>One parameter of every supported type, for parsing and identity tests.</summary>
public sealed class AllTypes : WorkflowTask
{
    [Parameter(Help = "a text")] public string Text { get; init; } = "hello";
    [Parameter] public int Count { get; init; } = 3;
    [Parameter] public double Ratio { get; init; } = 0.5;
    [Parameter] public bool Enabled { get; init; }
    [Parameter] public DateOnly StartDate { get; init; } = new(2019, 1, 1);
    [Parameter] public DateInterval Period { get; init; } = new(new(2019, 1, 1), new(2019, 4, 1));
    [Parameter] public Flavour Flavour { get; init; } = Flavour.Plain;
    [Parameter] public string[] Tags { get; init; } = [];
    [Parameter] public double[] Weights { get; init; } = [];
    [Parameter(Significant = false, Help = "not in the id")] public int Workers { get; init; } = 1;
    public override IEnumerable<Target> Output() => [new StoreTarget($"alltypes/{TaskId}.txt")];
    public override Task RunAsync(TaskContext context) => context.WriteTextAsync(Output().Single(), Text);
}

/// <summary>top needs left and right, which both need base.</summary>
public sealed class DiamondTop : WrapperTask
{
    public const string Edges = "top:left,right;left:base;right:base";
    [Parameter] public string Scope { get; init; } = "";
    public override IEnumerable<WorkflowTask> Requires() => [new Step { Scope = Scope, Name = "top", Graph = Edges }];
}
