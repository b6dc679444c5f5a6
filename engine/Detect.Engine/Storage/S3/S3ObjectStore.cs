namespace Detect.Engine.Storage.S3;

// Placeholder so the engine compiles before the S3 layer lands; replaced by the real AWSSDK.S3 store.
public static class S3ObjectStore
{
    public static IObjectStore Open(string uri) => throw new StoreException($"S3 store not built yet: {uri}");
}
