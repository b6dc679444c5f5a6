using System.Text.RegularExpressions;

namespace Detect.Engine.Storage;

/// <summary>
/// A parsed URI of a store or of one object: <c>scheme://authority/path</c> — <c>s3://bucket/prefix</c>,
/// <c>file:///abs/path</c>, <c>https://host/path</c> — or a plain local path, read as <c>file://</c>. The one parser of
/// such text: the store registry (<c>--store</c>, other stores a target names, the CWL export's store), asset hrefs of
/// imagery and GDAL paths all go through it. Which schemes have a store is the <see cref="StoreRegistry"/>'s business.
/// </summary>
public sealed partial record StoreUri
{
    public const string FileScheme = "file";

    private StoreUri(string scheme, string authority, string path)
    {
        Scheme = scheme;
        Authority = authority;
        Path = path;
    }

    /// <summary>Lower case: <c>file</c>, <c>s3</c>, <c>https</c>, …</summary>
    public string Scheme { get; }

    /// <summary>The bucket or host (with its port); empty for <c>file</c>.</summary>
    public string Authority { get; }

    /// <summary>
    /// For <c>file</c> the absolute local path (percent-escapes decoded, as <c>new Uri(...).LocalPath</c> does); for the
    /// other schemes the text after the authority's '/', as written (an S3 key prefix or key, a URL path and query).
    /// </summary>
    public string Path { get; }

    public bool IsFile => Scheme == FileScheme;

    /// <summary>True when <paramref name="text"/> starts with a scheme (<c>x://</c>); otherwise it is a path or a store key.</summary>
    public static bool HasScheme(string text) => SchemePrefix().IsMatch(text);

    /// <summary>The lower-case scheme of <paramref name="text"/>, or null for a path or store key.</summary>
    public static string? SchemeOf(string text) =>
        HasScheme(text) ? text[..text.IndexOf("://", StringComparison.Ordinal)].ToLowerInvariant() : null;

    /// <summary>Parses a URI or a local path (made absolute); bad text is a <see cref="StoreException"/> naming it.</summary>
    public static StoreUri Parse(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0) throw new StoreException("An empty text is not a URI or path: use e.g. file:///path, a local path or s3://bucket/prefix.");
        if (!HasScheme(trimmed))
        {
            if (trimmed.Contains("://", StringComparison.Ordinal))
                throw new StoreException($"'{text}' has no valid scheme before '://': use e.g. file:///path, a local path or s3://bucket/prefix.");
            return new StoreUri(FileScheme, "", System.IO.Path.GetFullPath(trimmed));
        }
        var schemeEnd = trimmed.IndexOf("://", StringComparison.Ordinal);
        var scheme = trimmed[..schemeEnd].ToLowerInvariant();
        var rest = trimmed[(schemeEnd + 3)..];
        var slash = rest.IndexOf('/');
        var authority = slash < 0 ? rest : rest[..slash];
        var path = slash < 0 ? "" : rest[(slash + 1)..];
        if (scheme != FileScheme) return new StoreUri(scheme, authority, path);
        if (authority is not ("" or "localhost"))
            throw new StoreException($"'{text}' names the host '{authority}': a file URI is a path on this machine, file:///absolute/path.");
        if (path.Length == 0) throw new StoreException($"'{text}' has no path: use file:///absolute/path.");
        return new StoreUri(FileScheme, "", "/" + Uri.UnescapeDataString(path));
    }

    /// <summary>The folder part and the last segment: <c>s3://b/a/x.tif</c> → (<c>s3://b/a</c>, <c>x.tif</c>).</summary>
    public (StoreUri Folder, string Name) SplitName()
    {
        var trimmed = Path.TrimEnd('/');
        var slash = trimmed.LastIndexOf('/');
        var name = slash < 0 ? trimmed : trimmed[(slash + 1)..];
        if (name.Length == 0) throw new StoreException($"'{this}' names a folder, not an object.");
        var folder = slash < 0 ? "" : trimmed[..slash];
        return (new StoreUri(Scheme, Authority, IsFile && folder.Length == 0 ? "/" : folder), name);
    }

    /// <summary>The canonical text: <c>file:///abs/path</c> (not escaped, as local stores name themselves), <c>s3://bucket/prefix</c>.</summary>
    public override string ToString() => IsFile
        ? "file://" + Path
        : Path.Length == 0 ? $"{Scheme}://{Authority}" : $"{Scheme}://{Authority}/{Path}";

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]*://")]
    private static partial Regex SchemePrefix();
}
