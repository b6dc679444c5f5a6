namespace Detect.Tasks.Native.Gdal;

/// <summary>
/// S3 settings for GDAL's /vsis3/ from the standard AWS environment variables (the same ones the store
/// uses), so rasters in a non-AWS S3 server (MinIO, Swift, Ceph) open with the store's endpoint and keys.
/// </summary>
public sealed record S3Settings(string? EndpointUrl, string? AccessKeyId, string? SecretAccessKey, string? SessionToken, string? Region)
{
    public static S3Settings FromEnvironment() => new(
        Env("AWS_ENDPOINT_URL_S3") ?? Env("AWS_ENDPOINT_URL"),
        Env("AWS_ACCESS_KEY_ID"), Env("AWS_SECRET_ACCESS_KEY"), Env("AWS_SESSION_TOKEN"),
        Env("AWS_REGION") ?? Env("AWS_DEFAULT_REGION"));

    /// <summary>The GDAL configuration options these settings mean (secrets included: never log the values).</summary>
    public IReadOnlyDictionary<string, string> ToGdalConfig()
    {
        var config = new Dictionary<string, string>();
        if (EndpointUrl is not null)
        {
            if (!Uri.TryCreate(EndpointUrl, UriKind.Absolute, out var endpoint) || endpoint.Host.Length == 0)
                throw new ArgumentException($"AWS_ENDPOINT_URL(_S3) '{EndpointUrl}' is not a URL such as http://localhost:9000.");
            config["AWS_S3_ENDPOINT"] = endpoint.IsDefaultPort ? endpoint.Host : $"{endpoint.Host}:{endpoint.Port}";
            config["AWS_HTTPS"] = endpoint.Scheme == Uri.UriSchemeHttps ? "YES" : "NO";
            // Custom endpoints rarely resolve bucket sub-domains: use path-style requests.
            config["AWS_VIRTUAL_HOSTING"] = "FALSE";
        }
        if (AccessKeyId is not null) config["AWS_ACCESS_KEY_ID"] = AccessKeyId;
        if (SecretAccessKey is not null) config["AWS_SECRET_ACCESS_KEY"] = SecretAccessKey;
        if (SessionToken is not null) config["AWS_SESSION_TOKEN"] = SessionToken;
        if (Region is not null) config["AWS_REGION"] = Region;
        return config;
    }

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;
}

public static class GdalS3
{
    /// <summary>Applies S3 settings process-wide (every thread's /vsis3/ reads use them).</summary>
    public static void Configure(S3Settings settings)
    {
        GdalRuntime.EnsureInitialized();
        foreach (var (key, value) in settings.ToGdalConfig()) GdalRuntime.SetConfigOption(key, value);
    }

    public static void ConfigureFromEnvironment() => Configure(S3Settings.FromEnvironment());
}
