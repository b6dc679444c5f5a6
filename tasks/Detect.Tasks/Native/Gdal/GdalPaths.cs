using Detect.Engine.Storage;

namespace Detect.Tasks.Native.Gdal;

/// <summary>
/// Maps where an object lives to the path GDAL opens: an <see cref="ObjectLocation"/> (S3 objects get their
/// bucket's options set, see <see cref="GdalS3"/>), or a URI: s3:// → /vsis3/, http(s):// → /vsicurl/, file:// → local.
/// </summary>
public static class GdalPaths
{
    /// <summary>The GDAL path of a location; for S3 it first applies the location's settings to its bucket.</summary>
    public static string For(ObjectLocation location) => location switch
    {
        ObjectLocation.LocalFile f => f.Path,
        ObjectLocation.S3Object s => ConfiguredVsiS3(s),
        ObjectLocation.HttpObject h => "/vsicurl/" + h.Url.AbsoluteUri,
        _ => throw new NotSupportedException(location.GetType().Name),
    };

    private static string ConfiguredVsiS3(ObjectLocation.S3Object s)
    {
        GdalS3.ConfigureBucket(s.Bucket, s.Settings, s.RequesterPays);
        return VsiS3(s.Bucket, s.Key);
    }

    /// <summary>The GDAL path of a URI or local path, without touching any S3 options.</summary>
    public static string FromUri(string uriOrPath)
    {
        if (uriOrPath.StartsWith("/vsi", StringComparison.Ordinal)) return uriOrPath;
        if (!StoreUri.HasScheme(uriOrPath)) return uriOrPath.Contains("://", StringComparison.Ordinal)
            ? throw new ArgumentException($"'{uriOrPath}' has an unsupported scheme: use a local path, file://, s3:// or https://.")
            : uriOrPath;
        StoreUri uri;
        try { uri = StoreUri.Parse(uriOrPath); }
        catch (StoreException e) { throw new ArgumentException(e.Message, e); }
        return uri.Scheme switch
        {
            "s3" when uri.Authority.Length > 0 && uri.Path.Length > 0 && !uri.Path.EndsWith('/') => VsiS3(uri.Authority, uri.Path),
            "s3" => throw new ArgumentException($"'{uriOrPath}' is not an S3 object URI (expected s3://bucket/key)."),
            "http" or "https" => "/vsicurl/" + uriOrPath,
            StoreUri.FileScheme => uri.Path,
            _ => throw new ArgumentException($"'{uriOrPath}' has an unsupported scheme: use a local path, file://, s3:// or https://."),
        };
    }

    public static string VsiS3(string bucket, string key) => $"/vsis3/{bucket}/{key.TrimStart('/')}";
}
