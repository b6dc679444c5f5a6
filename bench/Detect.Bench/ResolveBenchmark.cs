using System.Diagnostics;
using Detect.Engine;
using Detect.Engine.Parameters;
using Detect.Engine.Scheduling;
using Detect.Engine.Storage;
using Detect.Engine.Storage.S3;

namespace Detect.Bench;

/// <summary>
/// Resolving an all-complete graph of N small tasks whose outputs share P folders: wall time and the number
/// of store requests (the goal: requests ≈ folders, not tasks). On an <c>s3://</c> store it also reports the
/// HTTP requests the S3 client sent (listing pages and retries included).
/// </summary>
internal static class ResolveBenchmark
{
    public static async Task RunAsync(string storeUri, int tasks, int folders)
    {
        // The S3 client's own request count (pages and retries included) needs the S3 store itself: open it as one.
        var uri = StoreUri.Parse(storeUri);
        var s3Store = uri.Scheme == "s3" ? new S3ObjectStore(S3Location.From(uri), S3Settings.FromEnvironment()) : null;
        var store = s3Store ?? StoreFactory.Open(storeUri);
        using var counting = new CountingObjectStore(store);
        long S3Requests() => s3Store?.RequestCount ?? 0;
        using var resolver = new TargetResolver(counting);
        var root = new BenchRoot { Tasks = tasks, Folders = folders };

        var seed = Stopwatch.StartNew();
        var existing = (await counting.ListAsync($"bench/{tasks}-{folders}/")).Count;
        if (existing < tasks)
        {
            var payload = Path.GetTempFileName();
            await File.WriteAllTextAsync(payload, "done");
            await Parallel.ForEachAsync(root.Requires().Cast<BenchTask>(), new ParallelOptions { MaxDegreeOfParallelism = 32 },
                async (t, ct) => await counting.PublishFileAsync(((StoreTarget)t.Output().Single()).Key, payload, ct));
            File.Delete(payload);
        }
        Console.WriteLine($"seeded {tasks} outputs in {folders} folders ({(existing >= tasks ? "already there" : $"{seed.Elapsed.TotalSeconds:0.0}s")})");

        var idClock = Stopwatch.StartNew();
        var ids = root.Requires().Select(t => t.TaskId).Count();
        Console.WriteLine($"creating {ids} tasks and their ids: {idClock.Elapsed.TotalSeconds:0.00} s");
        counting.Reset();
        var s3Before = S3Requests();
        var clock = Stopwatch.StartNew();
        var scheduler = new Scheduler(new TaskRegistry(typeof(BenchTask).Assembly), resolver, new SchedulerOptions { UseLeases = false });
        var summary = await scheduler.RunAsync(root);
        clock.Stop();
        if (!summary.RootComplete || summary.Count(TaskOutcome.Ran) > 1)
            throw new InvalidOperationException("expected an all-complete graph:\n" + summary.Render());
        var s3 = s3Store is not null ? $" {S3Requests() - s3Before:N0} |" : "";
        Console.WriteLine($"| {counting.Uri.Split(':')[0]} | {tasks:N0} | {folders:N0} | {clock.Elapsed.TotalSeconds:0.00} s | {counting.Total:N0} ({counting.Lists} listings, {counting.Exists} HEADs) |{s3}");
    }
}

public sealed class BenchTask : WorkflowTask
{
    [Parameter] public int Index { get; init; }
    [Parameter] public int Tasks { get; init; }
    [Parameter] public int Folders { get; init; }
    public override IEnumerable<Target> Output() => [new StoreTarget($"bench/{Tasks}-{Folders}/f{Index % Folders}/t{Index}.txt")];
    public override Task RunAsync(TaskContext context) => context.WriteTextAsync(Output().Single(), "done");
}

public sealed class BenchRoot : WrapperTask
{
    [Parameter] public int Tasks { get; init; }
    [Parameter] public int Folders { get; init; }
    public override IEnumerable<WorkflowTask> Requires() =>
        Enumerable.Range(0, Tasks).Select(i => new BenchTask { Index = i, Tasks = Tasks, Folders = Folders });
}
