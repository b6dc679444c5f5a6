namespace Detect.Engine.Storage;

/// <summary>
/// Opens the store of <c>--store</c> / <c>DETECT_STORE</c>: <c>file:///path</c>, a plain path, or <c>s3://bucket/prefix</c>
/// (whatever <see cref="StoreRegistry.Default"/> knows); nothing given means <see cref="DefaultLocalStore"/>.
/// </summary>
public static class StoreFactory
{
    public const string DefaultLocalStore = "./detect-data";

    public static IObjectStore Open(string? uri)
    {
        var text = string.IsNullOrWhiteSpace(uri) ? DefaultLocalStore : uri.Trim();
        var parsed = StoreUri.Parse(text);
        if (!StoreRegistry.Default.Supports(parsed))
            throw new StoreException($"--store '{text}' is not supported: use {StoreRegistry.Default.Forms}.");
        return StoreRegistry.Default.Open(parsed, text);
    }
}
