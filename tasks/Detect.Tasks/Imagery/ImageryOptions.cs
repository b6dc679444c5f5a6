using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Detect.Engine.Parameters;
using Detect.Engine.Storage;
using Detect.Engine.Storage.S3;

namespace Detect.Tasks.Imagery;

/// <summary>
/// What scenes a task reads and how (the imagery parameters, validated): the source, the L1C and L2A
/// collections, the scene cloud-cover limit, the cloud-mask mode (resolved from <see cref="CloudMaskMode.Auto"/>),
/// and where s3:// imagery hrefs are read from.
/// </summary>
public sealed record ImageryOptions
{
    public const string DefaultCollection = "sentinel-2-l1c";
    public const string DefaultCloudCollection = "sentinel-2-l2a";
    public const double DefaultMaxCloudCover = 80;
    public const string S3EndpointVariable = "DETECT_IMAGERY_S3_ENDPOINT";

    public required ImagerySource Source { get; init; }
    public string Collection { get; init; } = DefaultCollection;
    public string CloudCollection { get; init; } = DefaultCloudCollection;
    public double MaxCloudCover { get; init; } = DefaultMaxCloudCover;
    public CloudMaskMode CloudMask { get; init; } = CloudMaskMode.Asset;
    /// <summary>--imagery-s3-endpoint (or DETECT_IMAGERY_S3_ENDPOINT): "" = the store's AWS_* endpoint, "aws" = AWS itself.</summary>
    public string S3Endpoint { get; init; } = "";

    public static ImageryOptions Store { get; } = new() { Source = ImagerySource.Parse(ImagerySource.Store) };

    /// <summary>Validates the parameters; a bad value is a <see cref="ParameterException"/> (usage error) naming it.</summary>
    public static ImageryOptions Create(string imagery, string collection, string cloudCollection, double maxCloudCover,
        CloudMaskMode cloudMask, string s3Endpoint)
    {
        var source = ImagerySource.Parse(imagery);
        if (string.IsNullOrWhiteSpace(collection)) throw new ParameterException("--collection is empty: name the STAC collection of L1C scenes, e.g. sentinel-2-l1c.");
        if (string.IsNullOrWhiteSpace(cloudCollection)) throw new ParameterException("--cloud-collection is empty: name the STAC collection of the L2A siblings, e.g. sentinel-2-l2a.");
        if (maxCloudCover is < 0 or > 100) throw new ParameterException($"--max-cloud-cover {maxCloudCover.ToString(CultureInfo.InvariantCulture)} is not a percentage (0 … 100).");
        var mask = cloudMask == CloudMaskMode.Auto ? (source.IsStore ? CloudMaskMode.Asset : CloudMaskMode.Scl) : cloudMask;
        if (source.IsStore && mask == CloudMaskMode.Scl)
            throw new ParameterException("--cloud-mask scl needs L2A sibling items, which only a STAC API has (--imagery earth-search or a URL); " +
                                         "the store's catalog supports --cloud-mask asset or none.");
        var endpoint = s3Endpoint.Trim();
        if (endpoint.Length > 0 && !endpoint.Equals("aws", StringComparison.OrdinalIgnoreCase)
            && !(Uri.TryCreate(endpoint, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"))
            throw new ParameterException($"--imagery-s3-endpoint '{s3Endpoint}' is not an http(s) URL (or 'aws' for AWS S3 itself).");
        return new ImageryOptions
        {
            Source = source, Collection = collection.Trim(), CloudCollection = cloudCollection.Trim(),
            MaxCloudCover = maxCloudCover, CloudMask = mask, S3Endpoint = endpoint,
        };
    }

    /// <summary>
    /// A short name for this imagery (source, collections, cloud limit, mask), safe as one key segment: <c>store</c>
    /// for the store's catalog with its cloud masks, else a readable prefix and 8 hex characters of a hash of them all.
    /// Shared products (site stacks under <c>patches/</c>) are keyed by it so different imagery never mixes.
    /// </summary>
    public string Key
    {
        get
        {
            if (Source.IsStore) return CloudMask == CloudMaskMode.Asset ? "store" : "store-" + ParameterParsing.ToKebab(CloudMask.ToString());
            var name = Source.Name == ImagerySource.EarthSearch ? ImagerySource.EarthSearch : Sanitize(Source.ApiRoot!.Host);
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical)))[..8];
            return $"{name}-{hash}";
        }
    }

    /// <summary>Every parameter that changes which pixels are read, as one line.</summary>
    public string Canonical => Source.IsStore
        ? $"store mask={CloudMask}"
        : $"{Source} collection={Collection} cloud_collection={CloudCollection} max_cloud_cover={MaxCloudCover.ToString("R", CultureInfo.InvariantCulture)} mask={CloudMask}";

    /// <summary>
    /// The S3 settings for imagery hrefs outside the store: the store's own (the settings its S3 client uses, when the
    /// store is on S3; else the AWS_* variables through <see cref="Engine.Storage.S3.S3Settings.FromEnvironment()"/>,
    /// the one reader of them), with the endpoint replaced when --imagery-s3-endpoint / DETECT_IMAGERY_S3_ENDPOINT names one.
    /// </summary>
    public S3Settings S3Settings(IObjectStore? store)
    {
        // Where the store says its objects are read in place tells its settings (any key: Locate checks no object).
        var settings = store?.Locate("imagery") is ObjectLocation.S3Object inStore
            ? inStore.Settings
            : Engine.Storage.S3.S3Settings.FromEnvironment();
        var endpoint = S3Endpoint.Length > 0 ? S3Endpoint : Environment.GetEnvironmentVariable(S3EndpointVariable)?.Trim() ?? "";
        if (endpoint.Length == 0) return settings;
        return settings with { Endpoint = endpoint.Equals("aws", StringComparison.OrdinalIgnoreCase) ? null : endpoint.TrimEnd('/') };
    }

    private static string Sanitize(string host)
    {
        var sb = new StringBuilder();
        foreach (var c in host.ToLowerInvariant()) sb.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '-');
        return sb.Length > 40 ? sb.ToString(0, 40) : sb.ToString();
    }
}
