using Detect.Engine.Storage;

namespace Detect.Tasks.Imagery;

/// <summary>Resolves an asset href against its item's URI (STAC: relative hrefs are relative to the item file).</summary>
public static class StacHref
{
    private static readonly string[] AbsoluteSchemes = ["s3", "https", "http", StoreUri.FileScheme];

    public static string Resolve(string itemUri, string href)
    {
        if (StoreUri.SchemeOf(href) is { } scheme)
            return AbsoluteSchemes.Contains(scheme)
                ? href
                : throw new ArgumentException($"href '{href}' has an unsupported scheme: use a relative path or s3://, https://, file://.");
        if (href.Contains("://", StringComparison.Ordinal))
            throw new ArgumentException($"href '{href}' has an unsupported scheme: use a relative path or s3://, https://, file://.");
        var schemeEnd = itemUri.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0) throw new ArgumentException($"Item URI '{itemUri}' is not absolute.");
        var rootEnd = itemUri.IndexOf('/', schemeEnd + 3); // after the authority (bucket / host; empty for file:///)
        if (rootEnd < 0) throw new ArgumentException($"Item URI '{itemUri}' has no path.");
        var root = itemUri[..rootEnd];
        var segments = itemUri[(rootEnd + 1)..].Split('/').SkipLast(1).ToList(); // the item's folder
        if (href.StartsWith('/')) segments.Clear();
        foreach (var part in href.Split('/'))
        {
            if (part is "" or ".") continue;
            if (part == "..")
            {
                if (segments.Count == 0) throw new ArgumentException($"href '{href}' climbs above the root of '{itemUri}'.");
                segments.RemoveAt(segments.Count - 1);
            }
            else segments.Add(part);
        }
        return root + "/" + string.Join('/', segments);
    }
}
