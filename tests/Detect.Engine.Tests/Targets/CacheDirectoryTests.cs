using Detect.Engine.Cli;

namespace Detect.Engine.Tests.Targets;

/// <summary>
/// The cache folder belongs to a run, not to the process: two in-process CLI runs with different --cache-dir keep
/// their own cached files (CacheFileTarget resolved by each run's resolver), and nothing sets DETECT_CACHE_DIR.
/// </summary>
public sealed class CacheDirectoryTests : IDisposable
{
    private readonly TempStore _a = new(), _b = new();

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
    }

    private static async Task<int> RunAsync(TempStore env, string name)
    {
        var output = new StringWriter();
        return await new CliApp(TempStore.Registry) { Out = output, Error = output }.RunAsync(
            ["run", nameof(UsesRunCache), "--scope", env.Scope, "--name", name, "--store", env.Store.Root, "--cache-dir", env.Cache]);
    }

    private static async Task SeedAsync(TempStore env, string content)
    {
        var file = Path.Combine(env.Root, "seed.bin");
        Directory.CreateDirectory(env.Root);
        await File.WriteAllTextAsync(file, content);
        await env.Store.PublishFileAsync($"inputs/{env.Scope}/model.bin", file);
    }

    private static string CachedFile(TempStore env) => Path.Combine(env.Cache, "fetched", env.Scope, "model.bin");

    [Fact]
    public async Task Runs_one_after_another_with_different_cache_dirs_keep_their_own_caches()
    {
        var environmentBefore = Environment.GetEnvironmentVariable("DETECT_CACHE_DIR");
        await SeedAsync(_a, "model of a");
        await SeedAsync(_b, "model of b");

        (await RunAsync(_a, "first")).Should().Be(CliApp.Success);
        (await RunAsync(_b, "first")).Should().Be(CliApp.Success);
        // A again, after B: A's cached file is still where A's run looks, so the fetch does not run again.
        (await RunAsync(_a, "second")).Should().Be(CliApp.Success);

        _a.Ran().Should().Equal("fetch into " + Path.GetFullPath(_a.Cache), "first", "second");
        _b.Ran().Should().Equal("fetch into " + Path.GetFullPath(_b.Cache), "first");
        (await File.ReadAllTextAsync(CachedFile(_a))).Should().Be("model of a");
        (await File.ReadAllTextAsync(CachedFile(_b))).Should().Be("model of b");
        (await File.ReadAllTextAsync(_a.PathOf($"runs/{_a.Scope}/second.txt"))).Should().Be(Path.GetFullPath(CachedFile(_a)));
        (await File.ReadAllTextAsync(_b.PathOf($"runs/{_b.Scope}/first.txt"))).Should().Be(Path.GetFullPath(CachedFile(_b)));
        Environment.GetEnvironmentVariable("DETECT_CACHE_DIR").Should().Be(environmentBefore, "the CLI session sets no process-wide cache folder");
    }

    [Fact]
    public async Task Concurrent_runs_with_different_cache_dirs_each_fetch_into_their_own()
    {
        await SeedAsync(_a, "model of a");
        await SeedAsync(_b, "model of b");

        var codes = await Task.WhenAll(RunAsync(_a, "u"), RunAsync(_b, "u"));

        codes.Should().Equal(CliApp.Success, CliApp.Success);
        (await File.ReadAllTextAsync(CachedFile(_a))).Should().Be("model of a");
        (await File.ReadAllTextAsync(CachedFile(_b))).Should().Be("model of b");
        Directory.EnumerateFiles(_a.Cache, "*", SearchOption.AllDirectories).Should().ContainSingle();
        Directory.EnumerateFiles(_b.Cache, "*", SearchOption.AllDirectories).Should().ContainSingle();
    }
}
