using Detect.Engine.Scheduling;
using Detect.Engine.Scheduling.Leases;
using Detect.Engine.Storage.S3;

namespace Detect.Engine.Tests.Storage.S3;

/// <summary>The scheduler on the real S3 server: batched existence checks, and a server that goes away mid-run.</summary>
[Collection(SwiftCollection.Name)]
public sealed class S3SchedulerTests(SwiftServerFixture server) : IDisposable
{
    private static readonly TaskRegistry Registry = new(typeof(TracedStep).Assembly);
    private readonly string _scratch = Directory.CreateTempSubdirectory("detect-s3-sched-").FullName;
    private readonly string _scope = Guid.NewGuid().ToString("N")[..12];

    public void Dispose()
    {
        StepHooks.Clear(_scope);
        RunLog.Clear(_scope);
        Directory.Delete(_scratch, recursive: true);
    }

    private Scheduler NewScheduler(S3ObjectStore store, SchedulerOptions? options = null) =>
        new(Registry, new TargetResolver(store, Path.Combine(_scratch, "cache")), (options ?? new SchedulerOptions()) with
        {
            StagingDirectory = Path.Combine(_scratch, "staging"),
            RetryDelay = TimeSpan.FromMilliseconds(10),
        });

    [Fact]
    public async Task Resolving_a_complete_graph_costs_one_listing_per_folder_not_one_request_per_task()
    {
        const int tasks = 150, folders = 3;
        using var store = server.NewStore();
        var root = new TracedJoin { Scope = _scope, Count = tasks, Folders = folders };
        var payload = Path.Combine(_scratch, "payload.txt");
        await File.WriteAllTextAsync(payload, "done");
        var keys = root.Requires().Append(root).Select(t => ((StoreTarget)t.Output().Single()).Key).ToList();
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (key, ct) => await store.PublishFileAsync(key, payload, ct));

        var before = store.RequestCount;
        var summary = await NewScheduler(store).RunAsync(root);
        var requests = store.RequestCount - before;

        summary.RootComplete.Should().BeTrue(summary.Render());
        summary.Count(TaskOutcome.AlreadyComplete).Should().Be(tasks + 1);
        RunLog.Of(_scope).Should().BeEmpty();
        // One HEAD for the root's lone output, one ListObjectsV2 page per folder of 50 step outputs.
        requests.Should().Be(folders + 1, $"{tasks} outputs in {folders} folders are checked by listing each folder once");
    }

    [Fact]
    public async Task Server_stopped_mid_run_fails_the_run_cleanly_and_a_rerun_after_restart_redoes_only_the_unfinished_tasks()
    {
        using var store = server.NewStore();
        // s0 -> s1 -> s2 -> join; the server goes away while s1 runs, so s1's output cannot be published.
        var root = new TracedJoin { Scope = _scope, Count = 3, Chain = true };
        var stopped = 0;
        StepHooks.Set(_scope, async index => { if (index == 1 && Interlocked.Exchange(ref stopped, 1) == 0) await server.StopAsync(); });
        // A lease whose release could not reach the server expires quickly in this test.
        var options = new SchedulerOptions { LeaseTtl = TimeSpan.FromSeconds(1), LeasePoll = TimeSpan.FromMilliseconds(100) };
        ExecutionSummary failed;
        try
        {
            failed = await NewScheduler(store, options).RunAsync(root);
        }
        finally
        {
            if (!server.Running) await server.StartAsync();
        }

        failed.RootComplete.Should().BeFalse();
        failed.Render().Should().Contain("Result: FAILED");
        string Step(int i) => new TracedStep { Scope = _scope, Index = i }.TaskId;
        var s1 = failed.With(TaskOutcome.Failed).Should().ContainSingle().Which;
        s1.TaskId.Should().Be(Step(1));
        s1.Reason.Should().Contain("Cannot reach the S3 endpoint " + server.Endpoint).And.Contain(store.UriOf($"runs/{_scope}/f0/s1.txt"));
        failed.With(TaskOutcome.Ran).Should().ContainSingle().Which.TaskId.Should().Be(Step(0));
        failed.Count(TaskOutcome.UpstreamFailed).Should().Be(2, "s2 and join need s1");
        (await store.ListAsync("runs/")).Should().Equal([$"runs/{_scope}/f0/s0.txt"], "nothing of the failed task reached the store");

        var rerun = await NewScheduler(store, options).RunAsync(root);

        rerun.RootComplete.Should().BeTrue(rerun.Render());
        rerun.With(TaskOutcome.AlreadyComplete).Should().ContainSingle().Which.TaskId.Should().Be(Step(0));
        RunLog.Of(_scope).Should().Equal("s0", "s1", "s1", "s2", "join");
        (await store.ListAsync("runs/")).Should().HaveCount(4);
        (await store.ListAsync(TaskLeases.Prefix)).Should().BeEmpty("the rerun took over the expired lease and released it");
        await store.DeletePrefixAsync("");
    }
}
