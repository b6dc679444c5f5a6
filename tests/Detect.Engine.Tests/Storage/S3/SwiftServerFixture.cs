using Detect.Engine.Storage.S3;
using Detect.TestSupport;

namespace Detect.Engine.Tests.Storage.S3;

/// <summary>
/// The real Swift S3 server (<see cref="SwiftProcess"/>) for the whole S3 test collection.
/// </summary>
public sealed class SwiftServerFixture : IAsyncLifetime
{
    public const string Bucket = "detect-test";
    public const string AccessKey = "test:tester";
    public const string Secret = "testing";

    private readonly SwiftProcess _swift = new(Bucket, "detect-s3-test");

    public string Endpoint => _swift.Endpoint;
    public bool Running => _swift.Running;

    /// <summary>Settings from the environment the fixture exported, with quick retries so failure tests stay fast.</summary>
    public S3Settings FastSettings => S3Settings.FromEnvironment() with
    {
        MaxAttempts = 3,
        RetryBaseDelay = TimeSpan.FromMilliseconds(50),
        RetryMaxDelay = TimeSpan.FromMilliseconds(200),
        ConnectTimeout = TimeSpan.FromSeconds(2),
        RequestTimeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>A store under a fresh prefix, so tests never see each other's objects.</summary>
    public S3ObjectStore NewStore(S3Settings? settings = null) =>
        S3ObjectStore.Open($"s3://{Bucket}/t-{Guid.NewGuid():N}", settings ?? FastSettings);

    public Task InitializeAsync() => _swift.InstallAndStartAsync();
    public Task StartAsync() => _swift.StartAsync();
    public Task StopAsync() => _swift.StopAsync();
    public Task DisposeAsync() => _swift.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class SwiftCollection : ICollectionFixture<SwiftServerFixture>
{
    public const string Name = "Swift S3 server";
}
