using Detect.Engine.Storage;
using Detect.Engine.Storage.S3;
using Detect.Tasks.Native.Gdal;

namespace Detect.Tasks.Imagery;

/// <summary>
/// Opens the rasters a scene record names, in place: hrefs inside the run's store through the store's own
/// location (its endpoint and credentials), other s3:// hrefs through <c>/vsis3/</c> with the imagery S3 settings,
/// their bucket's region and requester-pays, https:// through <c>/vsicurl/</c> (range reads), file:// locally.
/// Failures name the scene, asset and href; a 403 says that requester-pays reads need credentials.
/// </summary>
public sealed class SceneAccess
{
    private readonly IObjectStore? _store;
    private readonly IReadOnlyDictionary<string, BucketAccess> _buckets;
    private readonly Lazy<S3Settings> _settings;

    /// <param name="store">The run's store (hrefs inside it are read through its own location); null reads every href as it is.</param>
    public SceneAccess(IObjectStore? store, ImageryOptions imagery, IReadOnlyDictionary<string, BucketAccess> buckets)
    {
        _store = store;
        _buckets = buckets;
        _settings = new Lazy<S3Settings>(() => imagery.S3Settings(store));
    }

    /// <summary>The store key of an href inside the store (its URI is under the store's root), else null.</summary>
    public static string? InStore(IObjectStore store, string href)
    {
        var root = store.Uri.TrimEnd('/') + "/";
        return href.StartsWith(root, StringComparison.Ordinal) ? Uri.UnescapeDataString(href[root.Length..]) : null;
    }

    /// <summary>
    /// Where a recorded href is read: a store key (the records of the store's own catalog name keys, so a copied store
    /// reads its own files) or an href under the store's root through the store; s3:// elsewhere with the imagery S3
    /// settings, the bucket's region and requester-pays; http(s):// as a URL; file:// as a local file.
    /// </summary>
    public ObjectLocation Locate(string href)
    {
        if (!StoreUri.HasScheme(href)) return InStoreLocation(href, href);
        if (_store is not null && InStore(_store, href) is { } key) return InStoreLocation(key, href);
        StoreUri uri;
        try { uri = StoreUri.Parse(href); }
        catch (StoreException e) { throw new ImageryException($"href '{href}': {e.Message}", e); }
        switch (uri.Scheme)
        {
            case "s3":
                if (uri.Authority.Length == 0 || uri.Path.Length == 0 || uri.Path.EndsWith('/'))
                    throw new ImageryException($"'{href}' is not an S3 object URI (s3://bucket/key).");
                var access = _buckets.GetValueOrDefault(uri.Authority)
                             ?? new BucketAccess(SceneSearch.KnownBucketRegions.GetValueOrDefault(uri.Authority) ?? _settings.Value.Region, true);
                return new ObjectLocation.S3Object(uri.Authority, uri.Path, _settings.Value with { Region = access.Region }, access.RequesterPays);
            case "http" or "https":
                return new ObjectLocation.HttpObject(new Uri(href));
            case StoreUri.FileScheme:
                return new ObjectLocation.LocalFile(uri.Path);
            default:
                throw new ImageryException($"href '{href}' has an unsupported scheme: use s3://, https://, http://, file:// or a key of the store.");
        }
    }

    private ObjectLocation InStoreLocation(string key, string href)
    {
        if (_store is null) throw new ImageryException($"href '{href}' is a key of the store, but no store was given to read it from.");
        return _store.Locate(key) ?? throw new ImageryException(
            $"href '{href}': the store {_store.Uri} cannot be read in place (it names no local file or S3 object for {key}).");
    }

    /// <summary>Opens one raster of a scene; any failure is an <see cref="ImageryException"/> naming scene, asset and href.</summary>
    public GdalDataset Open(string sceneId, string asset, string href)
    {
        string path;
        try { path = GdalPaths.For(Locate(href)); }
        catch (ArgumentException e) { throw new ImageryException($"Scene '{sceneId}' asset '{asset}' ({href}): {e.Message}", e); }
        try
        {
            var dataset = GdalDataset.Open(path);
            if (dataset.BandCount < 1)
            {
                dataset.Dispose();
                throw new ImageryException($"Scene '{sceneId}' asset '{asset}' ({href}) has no raster band.");
            }
            return dataset;
        }
        catch (GdalException e)
        {
            throw new ImageryException($"Scene '{sceneId}' asset '{asset}' could not be read from {href}: {Explain(e, href)}", e);
        }
    }

    /// <summary>GDAL's message, with what the HTTP status means for the user.</summary>
    private static string Explain(GdalException e, string href)
    {
        var message = e.Message;
        if (e.Kind == GdalErrorKind.AccessDenied)
            return message + (StoreUri.SchemeOf(href) == "s3"
                ? " — access denied (403): the imagery bucket is requester-pays, which needs AWS credentials " +
                  "(AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, billed to that account) allowed to read it."
                : " — access denied (403).");
        if (e.Kind == GdalErrorKind.NotFound) return message + " — no such object (404): the catalog names an asset that is not there.";
        return message;
    }
}
