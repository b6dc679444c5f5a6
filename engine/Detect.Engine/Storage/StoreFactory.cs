namespace Detect.Engine.Storage;

/// <summary>Opens a store from its URI: <c>file:///path</c>, a plain path, or <c>s3://bucket/prefix</c>.</summary>
public static class StoreFactory
{
    public const string DefaultLocalStore = "./detect-data";

    public static IObjectStore Open(string? uri)
    {
        var text = string.IsNullOrWhiteSpace(uri) ? DefaultLocalStore : uri.Trim();
        if (text.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
            return S3.S3ObjectStore.Open(text);
        if (text.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
            return new LocalObjectStore(new Uri(text).LocalPath);
        if (text.Contains("://", StringComparison.Ordinal))
            throw new StoreException($"--store '{text}' is not supported: use file:///path, a local path, or s3://bucket/prefix.");
        return new LocalObjectStore(text);
    }
}
