using Detect.Engine.Storage.S3;

namespace Detect.Tasks.Native.Gdal;

/// <summary>
/// GDAL's <c>/vsis3/</c> options from the engine's <see cref="S3Settings"/>, set <b>per bucket</b> with
/// <c>VSISetPathSpecificOption("/vsis3/&lt;bucket&gt;", …)</c> (GDAL ≥ 3.6), so buckets on different services
/// (the store on a local S3 server, imagery on AWS eu-central-1 with requester-pays) coexist in one process.
/// </summary>
public static class GdalS3
{
    /// <summary>The GDAL configuration options that reach a bucket with these settings (secrets included: never log the values).</summary>
    public static IReadOnlyDictionary<string, string> Options(S3Settings settings, bool requesterPays = false)
    {
        var config = new Dictionary<string, string>(StringComparer.Ordinal);
        if (settings.Endpoint is { } url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var endpoint) || endpoint.Host.Length == 0)
                throw new ArgumentException($"S3 endpoint '{url}' is not a URL such as http://localhost:9000.");
            config["AWS_S3_ENDPOINT"] = endpoint.IsDefaultPort ? endpoint.Host : $"{endpoint.Host}:{endpoint.Port}";
            config["AWS_HTTPS"] = endpoint.Scheme == Uri.UriSchemeHttps ? "YES" : "NO";
            // Custom endpoints rarely resolve bucket sub-domains: use path-style requests.
            config["AWS_VIRTUAL_HOSTING"] = "FALSE";
        }
        else
        {
            // AWS itself. Set explicitly so that no process-wide value meant for another service applies here.
            config["AWS_S3_ENDPOINT"] = "s3.amazonaws.com";
            config["AWS_HTTPS"] = "YES";
            config["AWS_VIRTUAL_HOSTING"] = "TRUE";
        }
        config["AWS_REGION"] = settings.Region;
        if (settings.AccessKeyId is not null) config["AWS_ACCESS_KEY_ID"] = settings.AccessKeyId;
        if (settings.SecretAccessKey is not null) config["AWS_SECRET_ACCESS_KEY"] = settings.SecretAccessKey;
        if (settings.SessionToken is not null) config["AWS_SESSION_TOKEN"] = settings.SessionToken;
        // Requester-pays requests must be signed: the reader's account pays for requests and egress.
        config["AWS_REQUEST_PAYER"] = requesterPays ? "requester" : "";
        return config;
    }

    /// <summary>
    /// Makes every <c>/vsis3/&lt;bucket&gt;/…</c> read use these settings. Idempotent and cheap (a few string
    /// copies), so callers set it before each open rather than tracking what was set.
    /// </summary>
    public static void ConfigureBucket(string bucket, S3Settings settings, bool requesterPays = false)
    {
        if (string.IsNullOrEmpty(bucket) || bucket.Contains('/'))
            throw new ArgumentException($"'{bucket}' is not an S3 bucket name.");
        GdalRuntime.EnsureInitialized();
        foreach (var (key, value) in Options(settings, requesterPays))
            GdalRuntime.SetPathSpecificOption(PathPrefix(bucket), key, value);
    }

    /// <summary>The value GDAL would use for <paramref name="key"/> when reading from <paramref name="bucket"/>.</summary>
    public static string? EffectiveOption(string bucket, string key) => GdalRuntime.GetPathSpecificOption(PathPrefix(bucket), key);

    private static string PathPrefix(string bucket) => $"/vsis3/{bucket}";
}
