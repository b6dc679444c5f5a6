using Detect.Engine.Storage;
using Detect.Engine.Storage.S3;
using Detect.Engine.Tests.Storage.S3;

namespace Detect.Engine.Tests.Storage.Contract;

/// <summary>
/// The store contract on S3: the real OpenStack Swift server, each test under its own prefix. Multipart uploads start
/// at 5 MiB here (S3's smallest part) so the atomic-publication test covers them.
/// </summary>
[Collection(SwiftCollection.Name)]
public sealed class S3StoreContractTests(SwiftServerFixture server) : ObjectStoreContract
{
    protected override IObjectStore NewStore() =>
        server.NewStore(server.FastSettings with { MultipartThreshold = 5L << 20, PartSize = 5L << 20 });

    protected override async Task<byte[]> ReadInPlaceAsync(ObjectLocation location)
    {
        var s3 = location.Should().BeOfType<ObjectLocation.S3Object>().Subject;
        // The bucket's root with the location's own settings: what a reader in place (GDAL's /vsis3/) gets.
        using var bucket = S3ObjectStore.Open($"s3://{s3.Bucket}", s3.Settings);
        return await ReadBytesAsync(bucket, s3.Key);
    }
}
