using Detect.Engine.Storage;

namespace Detect.Engine.Tests.Storage.Contract;

/// <summary>The store contract on a local directory.</summary>
public sealed class LocalStoreContractTests : ObjectStoreContract
{
    protected override IObjectStore NewStore() => new LocalObjectStore(Path.Combine(Scratch, "store-" + Guid.NewGuid().ToString("N")[..8]));

    protected override Task<byte[]> ReadInPlaceAsync(ObjectLocation location) =>
        File.ReadAllBytesAsync(location.Should().BeOfType<ObjectLocation.LocalFile>().Subject.Path);
}
