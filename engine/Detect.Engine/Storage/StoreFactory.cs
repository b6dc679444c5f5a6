namespace Detect.Engine.Storage;

/// <summary>Opens a store from its URI: <c>file:///path</c>, a plain path, or <c>s3://bucket/prefix</c>.</summary>
public static class StoreFactory
{
    public const string DefaultLocalStore = "./detect-data";

    private const string Forms = "use s3://bucket/prefix, file:///absolute/path or a local path";

    /// <exception cref="StoreUsageException">The URI has no known form, or the store it names cannot be opened as given.</exception>
    public static IObjectStore Open(string? uri)
    {
        var text = string.IsNullOrWhiteSpace(uri) ? DefaultLocalStore : uri.Trim();
        if (text.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            // Opening makes no request: whatever fails here (bucket name, AWS_* settings) is in the command line or environment.
            try { return S3.S3ObjectStore.Open(text); }
            catch (StoreException e) when (e is not StoreUsageException) { throw new StoreUsageException(e.Message, e); }
        }
        if (text.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
            return new LocalObjectStore(LocalPath(text));
        if (text.Contains("://", StringComparison.Ordinal))
            throw new StoreUsageException($"The store '{text}' has the scheme '{text[..text.IndexOf(':')]}://', which Detect cannot use: {Forms}.");
        return new LocalObjectStore(text);
    }

    /// <summary>The path of a <c>file:</c> URI: only <c>file:///abs/path</c> (or <c>file://localhost/abs/path</c>) names one on this machine.</summary>
    private static string LocalPath(string text)
    {
        if (!System.Uri.TryCreate(text, UriKind.Absolute, out var u) || !u.IsFile || u.AbsolutePath.Length <= 1 ||
            !(u.Host.Length == 0 || u.IsLoopback))
            throw new StoreUsageException($"The store '{text}' is not a file URI of a folder on this machine: {Forms} (three slashes: file:///data/detect).");
        return u.LocalPath;
    }
}
