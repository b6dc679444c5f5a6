using Detect.Engine.Scheduling;

namespace Detect.Engine.Tests.Scheduling;

public sealed class AtomicityTests : IDisposable
{
    private readonly TempStore _env = new();
    public void Dispose() => _env.Dispose();

    private IEnumerable<string> AllFiles(string dir) =>
        Directory.Exists(dir) ? Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories) : [];

    [Fact]
    public async Task A_task_that_throws_after_writing_half_its_output_leaves_no_output_and_no_temp_files()
    {
        var summary = await _env.RunAsync(new HalfWriter { Scope = _env.Scope });

        summary.RootComplete.Should().BeFalse();
        summary.With(TaskOutcome.Failed).Single().Reason.Should().Contain("disk on fire");
        AllFiles(_env.Store.Root).Where(f => !f.Contains(".detect")).Should().BeEmpty();
        AllFiles(_env.Staging).Should().BeEmpty();
    }

    [Fact]
    public async Task A_task_that_forgets_an_output_fails_and_publishes_nothing()
    {
        var summary = await _env.RunAsync(new ForgetsOneOutput { Scope = _env.Scope });

        summary.With(TaskOutcome.Failed).Single().Reason.Should().Contain("without writing its output").And.Contain("second.txt");
        AllFiles(_env.Store.Root).Where(f => !f.Contains(".detect")).Should().BeEmpty();
    }

    [Fact]
    public async Task A_rerun_caused_by_an_upstream_change_removes_the_stale_output_even_if_it_then_fails()
    {
        await _env.RunAsync(new Step { Scope = _env.Scope, Name = "down", Graph = "down:up" });
        File.Delete(_env.PathOf($"runs/{_env.Scope}/up.txt"));

        var summary = await _env.RunAsync(new Step { Scope = _env.Scope, Name = "down", Graph = "down:up", FailTimes = 5 });

        summary.RootComplete.Should().BeFalse();
        File.Exists(_env.PathOf($"runs/{_env.Scope}/down.txt")).Should().BeFalse("a stale output must not look complete");
    }

    [Fact]
    public async Task Local_publication_replaces_atomically_and_leaves_no_partial_files()
    {
        var source = Path.Combine(_env.Root, "src.bin");
        await File.WriteAllBytesAsync(source, Enumerable.Range(0, 1 << 20).Select(i => (byte)i).ToArray());

        await _env.Store.PublishFileAsync("x/y.bin", source);
        await _env.Store.PublishFileAsync("x/y.bin", source);

        (await File.ReadAllBytesAsync(_env.PathOf("x/y.bin"))).Should().Equal(await File.ReadAllBytesAsync(source));
        Directory.GetFiles(Path.GetDirectoryName(_env.PathOf("x/y.bin"))!).Should().ContainSingle();
    }

    [Fact]
    public async Task Flag_targets_publish_every_file_then_the_success_marker()
    {
        var summary = await _env.RunAsync(new WritesDirectory { Scope = _env.Scope });

        summary.RootComplete.Should().BeTrue();
        var listed = await _env.Store.ListAsync($"runs/{_env.Scope}/many/");
        listed.Select(Path.GetFileName).Should().BeEquivalentTo(["0.txt", "1.txt", "2.txt", "_SUCCESS"]);
        (await _env.Resolver.ExistsAsync(new FlagTarget($"runs/{_env.Scope}/many"))).Should().BeTrue();
    }
}

public sealed class ForgetsOneOutput : WorkflowTask
{
    [Detect.Engine.Parameters.Parameter] public string Scope { get; init; } = "";
    public override IEnumerable<Target> Output() => [new StoreTarget($"runs/{Scope}/first.txt"), new StoreTarget($"runs/{Scope}/second.txt")];
    public override Task RunAsync(TaskContext context) => context.WriteTextAsync(Output().First(), "only one");
}

public sealed class WritesDirectory : WorkflowTask
{
    [Detect.Engine.Parameters.Parameter] public string Scope { get; init; } = "";
    public override IEnumerable<Target> Output() => [new FlagTarget($"runs/{Scope}/many")];
    public override async Task RunAsync(TaskContext context)
    {
        var dir = context.StageDirectory((FlagTarget)Output().Single());
        for (var i = 0; i < 3; i++) await File.WriteAllTextAsync(Path.Combine(dir, $"{i}.txt"), i.ToString());
    }
}

public sealed class StoreOutageTests : IDisposable
{
    private readonly TempStore _env = new();
    public void Dispose() => _env.Dispose();

    [Fact]
    public async Task A_lease_that_cannot_be_taken_fails_the_task_and_the_run_still_ends_with_a_summary()
    {
        // A file where the lease folder should be: every lease write fails, as with an unreachable store.
        Directory.CreateDirectory(_env.PathOf(".detect"));
        await File.WriteAllTextAsync(_env.PathOf(".detect/leases"), "not a folder");

        var summary = await _env.RunAsync(new Root { Scope = _env.Scope, Names = ["a", "b"] });

        summary.RootComplete.Should().BeFalse();
        summary.With(Detect.Engine.Scheduling.TaskOutcome.Failed).Should().HaveCount(2);
        summary.With(Detect.Engine.Scheduling.TaskOutcome.UpstreamFailed).Single().Family.Should().Be(nameof(Root));
        _env.Ran().Should().BeEmpty();
    }
}
