using System.Text.RegularExpressions;

namespace Detect.Engine.Storage.S3;

/// <summary>A parsed <c>s3://bucket/prefix</c> store root. <see cref="Prefix"/> is empty or ends with '/'.</summary>
public sealed partial record S3Location(string Bucket, string Prefix)
{
    public string Uri => Prefix.Length == 0 ? $"s3://{Bucket}" : $"s3://{Bucket}/{Prefix.TrimEnd('/')}";

    public string ObjectKey(string key) => Prefix + StoreKeys.Normalize(key);

    /// <summary>The object key for a listing prefix, which may be empty (the whole store).</summary>
    public string ListPrefix(string prefix) => Prefix + prefix.Replace('\\', '/').TrimStart('/');

    /// <summary>The store key of an object key under this root.</summary>
    public string StoreKey(string objectKey) => objectKey[Prefix.Length..];

    public string UriOf(string key) => $"s3://{Bucket}/{ObjectKey(key)}";

    public static S3Location Parse(string uri)
    {
        var parsed = StoreUri.HasScheme(uri) ? StoreUri.Parse(uri) : null;
        if (parsed is null || parsed.Scheme != "s3")
            throw new StoreException($"'{uri}' is not an S3 URI: use s3://bucket or s3://bucket/prefix.");
        return From(parsed, uri);
    }

    /// <summary>The bucket and prefix of a parsed <c>s3://</c> URI, checked (<paramref name="asWritten"/> is named in errors).</summary>
    public static S3Location From(StoreUri uri, string? asWritten = null)
    {
        var text = asWritten ?? uri.ToString();
        if (uri.Scheme != "s3") throw new StoreException($"'{text}' is not an S3 URI: use s3://bucket or s3://bucket/prefix.");
        var bucket = uri.Authority;
        var prefix = uri.Path.Trim('/');
        if (!BucketName().IsMatch(bucket))
            throw new StoreException(
                $"'{bucket}' in '{text}' is not a valid S3 bucket name: use 3-63 lowercase letters, digits, '.' or '-', " +
                "starting and ending with a letter or digit.");
        if (prefix.Length > 0 && prefix.Split('/').Any(part => part is "" or "." or ".."))
            throw new StoreException($"The prefix '{prefix}' in '{text}' must not contain empty, '.' or '..' segments.");
        return new S3Location(bucket, prefix.Length == 0 ? "" : prefix + "/");
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketName();
}
