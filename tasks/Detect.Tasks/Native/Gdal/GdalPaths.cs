namespace Detect.Tasks.Native.Gdal;

/// <summary>Maps store URIs to the paths GDAL opens: s3:// → /vsis3/, http(s):// → /vsicurl/, file:// → local.</summary>
public static class GdalPaths
{
    public static string FromUri(string uriOrPath)
    {
        if (uriOrPath.StartsWith("/vsi", StringComparison.Ordinal)) return uriOrPath;
        if (uriOrPath.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            var rest = uriOrPath["s3://".Length..];
            var slash = rest.IndexOf('/');
            if (slash <= 0 || slash == rest.Length - 1)
                throw new ArgumentException($"'{uriOrPath}' is not an S3 object URI (expected s3://bucket/key).");
            return VsiS3(rest[..slash], rest[(slash + 1)..]);
        }
        if (uriOrPath.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ||
            uriOrPath.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            return "/vsicurl/" + uriOrPath;
        if (uriOrPath.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
            return Uri.UnescapeDataString(new Uri(uriOrPath).AbsolutePath);
        if (uriOrPath.Contains("://", StringComparison.Ordinal))
            throw new ArgumentException($"'{uriOrPath}' has an unsupported scheme: use a local path, file://, s3:// or https://.");
        return uriOrPath;
    }

    public static string VsiS3(string bucket, string key) => $"/vsis3/{bucket}/{key.TrimStart('/')}";
}
