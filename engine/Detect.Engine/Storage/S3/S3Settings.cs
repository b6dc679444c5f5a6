namespace Detect.Engine.Storage.S3;

/// <summary>
/// How to reach S3: endpoint, credentials and region from the standard AWS environment variables, plus
/// the store's own tuning (retries, multipart sizes). <see cref="ToString"/> never shows the secret.
/// </summary>
public sealed record S3Settings
{
    public const string DefaultRegion = "us-east-1";

    /// <summary>A non-AWS endpoint (<c>http://127.0.0.1:39080</c>); null means AWS S3 itself.</summary>
    public string? Endpoint { get; init; }
    public string Region { get; init; } = DefaultRegion;
    /// <summary>Null: the SDK's default credential chain (profile, instance role, ...).</summary>
    public string? AccessKeyId { get; init; }
    public string? SecretAccessKey { get; init; }
    public string? SessionToken { get; init; }

    /// <summary>Attempts per request, the first included, for 5xx, throttling and connection errors.</summary>
    public int MaxAttempts { get; init; } = 5;
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Files at least this large are uploaded in parts (S3 requires parts of 5 MiB or more).</summary>
    public long MultipartThreshold { get; init; } = 64L << 20;
    public long PartSize { get; init; } = 16L << 20;
    public int PartUploadConcurrency { get; init; } = 4;

    /// <summary>Where error messages say the requests went.</summary>
    public string EndpointDescription => Endpoint ?? $"AWS S3 ({Region})";

    public static S3Settings FromEnvironment() => FromEnvironment(Environment.GetEnvironmentVariable);

    public static S3Settings FromEnvironment(Func<string, string?> variable)
    {
        string? Get(string name) => variable(name) is { Length: > 0 } v ? v.Trim() : null;
        var endpoint = Get("AWS_ENDPOINT_URL_S3") ?? Get("AWS_ENDPOINT_URL");
        if (endpoint is not null && !System.Uri.TryCreate(endpoint, UriKind.Absolute, out _))
            throw new StoreException(
                $"AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL '{endpoint}' is not an absolute URL: use e.g. http://127.0.0.1:39080.");
        var accessKey = Get("AWS_ACCESS_KEY_ID");
        var secret = Get("AWS_SECRET_ACCESS_KEY");
        if ((accessKey is null) != (secret is null))
            throw new StoreException(
                "Set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither (to use the default AWS credential chain).");
        return new S3Settings
        {
            Endpoint = endpoint?.TrimEnd('/'),
            Region = Get("AWS_REGION") ?? Get("AWS_DEFAULT_REGION") ?? DefaultRegion,
            AccessKeyId = accessKey,
            SecretAccessKey = secret,
            SessionToken = Get("AWS_SESSION_TOKEN"),
        };
    }

    public override string ToString() =>
        $"S3Settings {{ Endpoint = {EndpointDescription}, Region = {Region}, AccessKeyId = {AccessKeyId ?? "(default chain)"}, " +
        $"SecretAccessKey = {(SecretAccessKey is null ? "(none)" : "***")}, SessionToken = {(SessionToken is null ? "(none)" : "***")} }}";
}
