using Detect.Engine.Cli;

namespace Detect.Engine.Tests.Storage.S3;

/// <summary>
/// Bad S3 input to the CLI on the real Swift server (issue 15 item 1): a bucket that does not exist, half of a key
/// pair, no credentials at all. Each names the bucket or the variables and the fix, prints no stack trace, and
/// leaves nothing in the store.
/// </summary>
[Collection(SwiftCollection.Name)]
public sealed class S3BadInputTests(SwiftServerFixture server) : IDisposable
{
    private static readonly TimeSpan HostTimeout = TimeSpan.FromMinutes(2);
    private readonly string _scratch = Directory.CreateTempSubdirectory("detect-s3-bad-").FullName;
    private readonly string _scope = Guid.NewGuid().ToString("N")[..12];

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private async Task<(int Code, string Output)> RunAsync(string storeUri, IReadOnlyDictionary<string, string?>? environment)
    {
        using var host = HostProcess.Start(_scratch, environment,
            "run", nameof(DiamondTop), "--scope", _scope, "--store", storeUri, "--cache-dir", Path.Combine(_scratch, "cache"));
        var code = await host.WaitAsync(HostTimeout);
        return (code, host.Output);
    }

    [Fact]
    public async Task A_bucket_that_does_not_exist_is_named_with_the_endpoint_before_any_task_runs()
    {
        var bucket = "detect-missing-" + _scope;

        var (code, output) = await RunAsync($"s3://{bucket}/p", null);

        code.Should().Be(CliApp.Failure, output);
        output.Should().Contain($"error: The S3 bucket '{bucket}' does not exist at {server.Endpoint}")
            .And.Contain("create the bucket or correct the store URI").And.NotContain("   at ").And.NotContain("Result:", "nothing was planned");
    }

    [Fact]
    public async Task Half_a_key_pair_is_a_usage_error_naming_both_variables()
    {
        using var store = server.NewStore();

        var (code, output) = await RunAsync(store.Uri, new Dictionary<string, string?> { ["AWS_SECRET_ACCESS_KEY"] = null });

        code.Should().Be(CliApp.UsageError, output);
        output.Should().Contain("Set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither").And.NotContain("   at ");
        (await store.ListAsync("")).Should().BeEmpty();
    }

    [Fact]
    public async Task No_credentials_at_all_is_a_usage_error_naming_the_variables_to_set()
    {
        using var store = server.NewStore();

        var (code, output) = await RunAsync(store.Uri, new Dictionary<string, string?>
        {
            ["AWS_ACCESS_KEY_ID"] = null, ["AWS_SECRET_ACCESS_KEY"] = null, ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(_scratch, "none"), ["AWS_CONFIG_FILE"] = Path.Combine(_scratch, "none"),
        });

        code.Should().Be(CliApp.UsageError, output);
        output.Should().Contain($"error: No AWS credentials for bucket '{SwiftServerFixture.Bucket}' at {server.Endpoint}: " +
                                "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY").And.NotContain("   at ").And.NotContain("Exception 1 of");
        (await store.ListAsync("")).Should().BeEmpty();
    }
}
