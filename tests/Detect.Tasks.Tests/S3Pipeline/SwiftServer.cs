using Detect.TestSupport;

namespace Detect.Tasks.Tests.S3Pipeline;

/// <summary>A real Swift S3 server (<see cref="SwiftProcess"/>) for the Detect-on-S3 collection.</summary>
internal sealed class SwiftServer : IAsyncDisposable
{
    private readonly SwiftProcess _swift;

    private SwiftServer(string buckets) => _swift = new SwiftProcess(buckets, "detect-s3-e2e");

    public string Endpoint => _swift.Endpoint;

    public static async Task<SwiftServer> StartAsync(string buckets)
    {
        var server = new SwiftServer(buckets);
        await server._swift.InstallAndStartAsync();
        return server;
    }

    public async ValueTask DisposeAsync() => await _swift.DisposeAsync();
}
