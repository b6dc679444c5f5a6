using System.Security.Cryptography;
using Detect.Engine.Storage.S3;
using Detect.Engine.Tests.Storage.S3;
using Detect.TestSupport;

namespace Detect.Engine.Tests.Export;

/// <summary>
/// The exported graph on the real Swift S3 server: the steps get the endpoint and credentials from their
/// environment only (never from the file), and the store's objects end as after a plain `detect run`.
/// </summary>
[Collection(SwiftCollection.Name)]
public sealed class CwlS3RunTests(SwiftServerFixture server) : IDisposable
{
    private static readonly TimeSpan RunnerTimeout = TimeSpan.FromMinutes(5);
    private readonly string _root = Directory.CreateTempSubdirectory("detect-cwl-s3-").FullName;
    private readonly string _scope = Guid.NewGuid().ToString("N")[..12];

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        if (Directory.Exists(CwlSeedCache.FolderOf(_scope))) Directory.Delete(CwlSeedCache.FolderOf(_scope), recursive: true);
    }

    // No --cache-dir: in process it would move the cache of every test running beside this one.
    private static Task<(int Code, string Out, string Err)> Cli(params string[] args) => TestCli.RunAsync(args);

    private static async Task<SortedDictionary<string, string>> HashesAsync(S3ObjectStore store)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in await store.ListAsync(""))
        {
            if (key.StartsWith(".detect/", StringComparison.Ordinal)) continue;
            await using var stream = await store.OpenReadAsync(key);
            result[key] = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream));
        }
        return result;
    }

    [Theory]
    [InlineData(CwlRunnerKind.Cwltool)]
    [InlineData(CwlRunnerKind.Toil)]
    public async Task The_exported_graph_runs_on_the_s3_store_with_credentials_from_the_environment_only(CwlRunnerKind runner)
    {
        using var plain = server.NewStore();
        using var exported = server.NewStore();
        foreach (var store in new[] { plain, exported })
            await store.TryCreateExclusiveAsync(CwlSeed.TargetFor(_scope).Key, "seed-42"u8.ToArray());
        string[] graph = [nameof(CwlReport), "--scope", _scope, "--groups", "2", "--items", "2"];

        var (plainCode, plainOut, _) = await Cli(["run", .. graph, "--store", plain.Uri]);
        plainCode.Should().Be(0, plainOut);

        var workflow = Path.Combine(_root, "workflow.cwl");
        var (code, _, err) = await Cli(["export", "cwl", .. graph, "--store", exported.Uri, "--no-container", "-o", workflow]);
        code.Should().Be(0, err);
        err.Should().NotContain("warning", "an s3:// store is reachable from every node");
        var text = await File.ReadAllTextAsync(workflow);
        text.Should().Contain(exported.Uri)
            .And.NotContain(SwiftServerFixture.Secret).And.NotContain(SwiftServerFixture.AccessKey)
            .And.NotContain(server.Endpoint, "the endpoint and credentials come from each step's environment");

        var detect = CwlRunners.DetectOnPath(Path.Combine(_root, "bin"), typeof(CwlReport).Assembly.Location);
        var run = await CwlRunners.RunAsync(runner, workflow, Path.Combine(_root, "run1"), detect, RunnerTimeout);
        run.ExitCode.Should().Be(0, run.Output);
        var expected = await HashesAsync(plain);
        expected.Keys.Should().Contain($"runs/{_scope}/report.txt");
        (await HashesAsync(exported)).Should().Equal(expected);

        var again = Path.Combine(_root, "again.cwl");
        var (againCode, _, againErr) = await Cli(["export", "cwl", .. graph, "--store", exported.Uri, "--no-container", "-o", again]);
        againCode.Should().Be(0, againErr);
        againErr.Should().Contain("0 task(s) in 0 step(s)");
    }
}
