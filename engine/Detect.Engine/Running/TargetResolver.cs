using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Detect.Engine.Storage;

namespace Detect.Engine;

/// <summary>Resolves targets to stores and keys, and does the I/O on them: exists, read, delete, publish.</summary>
public sealed class TargetResolver : IDisposable
{
    private readonly ConcurrentDictionary<string, IObjectStore> _otherStores = new(StringComparer.Ordinal);

    public TargetResolver(IObjectStore defaultStore, string? cacheDirectory = null)
    {
        DefaultStore = defaultStore;
        CacheDirectory = Path.GetFullPath(cacheDirectory ?? DefaultCacheDirectory());
    }

    public IObjectStore DefaultStore { get; }
    public string CacheDirectory { get; }

    /// <summary>The cache folder when none is given: DETECT_CACHE_DIR, else ~/.cache/detect. Read, never set.</summary>
    public static string DefaultCacheDirectory() =>
        Environment.GetEnvironmentVariable("DETECT_CACHE_DIR") is { Length: > 0 } dir
            ? dir
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "detect");

    public IObjectStore StoreFor(string? storeUri) =>
        storeUri is null || storeUri == DefaultStore.Uri
            ? DefaultStore
            : _otherStores.GetOrAdd(storeUri, StoreRegistry.Default.Open);

    public (IObjectStore Store, string Key) Locate(StoreTarget target) => (StoreFor(target.StoreUri), target.Key);

    /// <summary>Where a cache file lies: under this resolver's <see cref="CacheDirectory"/>.</summary>
    public string PathOf(CacheFileTarget target) => Path.Combine(CacheDirectory, target.RelativePath);

    public string UriOf(Target target) => target switch
    {
        StoreTarget s => StoreFor(s.StoreUri).UriOf(s.Key),
        FlagTarget f => StoreFor(f.StoreUri).UriOf(f.Prefix),
        LocalFileTarget l => "file://" + l.Path,
        CacheFileTarget c => "file://" + PathOf(c),
        _ => target.Identity,
    };

    public Task<bool> ExistsAsync(Target target, CancellationToken ct = default) => target switch
    {
        StoreTarget s => StoreFor(s.StoreUri).ExistsAsync(s.Key, ct),
        FlagTarget f => ExistsAsync(f.Marker, ct),
        LocalFileTarget l => Task.FromResult(File.Exists(l.Path)),
        CacheFileTarget c => Task.FromResult(File.Exists(PathOf(c))),
        _ => throw new NotSupportedException(target.GetType().Name),
    };

    public Task<Stream> OpenReadAsync(Target target, CancellationToken ct = default) => target switch
    {
        StoreTarget s => StoreFor(s.StoreUri).OpenReadAsync(s.Key, ct),
        LocalFileTarget l => OpenLocal(l.Path),
        CacheFileTarget c => OpenLocal(PathOf(c)),
        _ => throw new NotSupportedException($"Cannot read {target.Identity} as one object."),
    };

    private static Task<Stream> OpenLocal(string path) => File.Exists(path)
        ? Task.FromResult<Stream>(File.OpenRead(path))
        : throw new ObjectNotFoundException("file://" + path);

    public async Task<string> ReadTextAsync(Target target, CancellationToken ct = default)
    {
        await using var stream = await OpenReadAsync(target, ct);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync(ct);
    }

    /// <summary>
    /// A local file with the target's bytes: the file itself where the store says the object is one (a local store),
    /// otherwise a copy downloaded into the cache (keyed by URI, replaced on each call).
    /// </summary>
    public async Task<string> LocalPathAsync(Target target, CancellationToken ct = default)
    {
        switch (target)
        {
            case LocalFileTarget l: return l.Path;
            case CacheFileTarget c: return PathOf(c);
            case StoreTarget s when StoreFor(s.StoreUri).Locate(s.Key) is ObjectLocation.LocalFile file:
                if (!File.Exists(file.Path)) throw new ObjectNotFoundException(StoreFor(s.StoreUri).UriOf(s.Key));
                return file.Path;
            case StoreTarget s:
                var store = StoreFor(s.StoreUri);
                var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(store.UriOf(s.Key))))[..16];
                var copy = Path.Combine(CacheDirectory, "downloads", hash, Path.GetFileName(s.Key));
                await store.DownloadAsync(s.Key, copy, ct);
                return copy;
            default: throw new NotSupportedException($"Cannot make a local copy of {target.Identity}.");
        }
    }

    public async Task DeleteAsync(Target target, CancellationToken ct = default)
    {
        switch (target)
        {
            case StoreTarget s: await StoreFor(s.StoreUri).DeleteAsync(s.Key, ct); break;
            case FlagTarget f:
                // Marker first: from that moment the output reads as absent, whatever happens next.
                await StoreFor(f.StoreUri).DeleteAsync(f.Marker.Key, ct);
                await StoreFor(f.StoreUri).DeletePrefixAsync(f.Prefix, ct);
                break;
            case LocalFileTarget l: File.Delete(l.Path); break;
            case CacheFileTarget c: File.Delete(PathOf(c)); break;
        }
    }

    /// <summary>Publishes a task's staged file (which may be moved away) to <paramref name="target"/>, atomically.</summary>
    internal async Task PublishStagedFileAsync(Target target, string stagedPath, CancellationToken ct)
    {
        switch (target)
        {
            case StoreTarget s: await StoreFor(s.StoreUri).PublishStagedFileAsync(s.Key, stagedPath, ct); break;
            case LocalFileTarget l: PublishLocalFile(stagedPath, l.Path); break;
            case CacheFileTarget c: PublishLocalFile(stagedPath, PathOf(c)); break;
            default: throw new NotSupportedException(target.Identity);
        }
    }

    private static void PublishLocalFile(string stagedPath, string path)
    {
        var folder = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(folder);
        var partial = Path.Combine(folder, "." + Path.GetFileName(path) + LocalObjectStore.PartialMarker + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            File.Move(stagedPath, partial); // a rename on one file system, else a copy: either way not yet visible
            File.Move(partial, path, overwrite: true);
        }
        finally { File.Delete(partial); }
    }

    public void Dispose()
    {
        foreach (var store in _otherStores.Values) store.Dispose();
    }
}
