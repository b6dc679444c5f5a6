namespace Detect.Engine.Storage;

/// <summary>
/// Opens the store of <c>--store</c> / <c>DETECT_STORE</c>: <c>file:///path</c>, a plain path, or <c>s3://bucket/prefix</c>
/// (whatever <see cref="StoreRegistry.Default"/> knows); nothing given means <see cref="DefaultLocalStore"/>.
/// </summary>
public static class StoreFactory
{
    public const string DefaultLocalStore = "./detect-data";

    /// <exception cref="StoreUsageException">The URI has no known form, or the store it names cannot be opened as given.</exception>
    public static IObjectStore Open(string? uri)
    {
        var text = string.IsNullOrWhiteSpace(uri) ? DefaultLocalStore : uri.Trim();
        StoreUri parsed;
        try { parsed = StoreUri.Parse(text); }
        catch (StoreException e) when (e is not StoreUsageException) { throw new StoreUsageException($"The store '{text}' is not usable: {e.Message}", e); }
        if (!StoreRegistry.Default.Supports(parsed))
            throw new StoreUsageException($"The store '{text}' has the scheme '{parsed.Scheme}://', which Detect cannot use: use {StoreRegistry.Default.Forms}.");
        // Opening makes no request: whatever fails here (bucket name, AWS_* settings) is in the command line or environment.
        try { return StoreRegistry.Default.Open(parsed, text); }
        catch (StoreException e) when (e is not StoreUsageException) { throw new StoreUsageException(e.Message, e); }
    }

}
