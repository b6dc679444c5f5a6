namespace Detect.Engine;

/// <summary>
/// Something a task makes. Targets are descriptions (a key in a store, a local path); the engine resolves
/// and checks them, so one task definition works on every store.
/// </summary>
public abstract class Target : IEquatable<Target>
{
    /// <summary>A stable identity for equality and messages, e.g. <c>store:runs/x/y.json</c>.</summary>
    public abstract string Identity { get; }

    private int _hash;
    private bool _hashed;

    /// <summary>Equal when of one kind and naming the same thing (equal <see cref="Identity"/>, compared by parts).</summary>
    public bool Equals(Target? other) => other is not null && (ReferenceEquals(this, other) || (other.GetType() == GetType() && SameAs(other)));
    public override bool Equals(object? obj) => obj is Target t && Equals(t);

    /// <summary>Computed once: targets are hashed many times while a graph is resolved.</summary>
    public override int GetHashCode()
    {
        if (_hashed) return _hash;
        _hash = Hash();
        _hashed = true;
        return _hash;
    }

    public override string ToString() => Identity;

    /// <summary><paramref name="other"/> (of this type) names the same thing. By default: equal identities.</summary>
    protected virtual bool SameAs(Target other) => other.Identity == Identity;

    protected virtual int Hash() => Identity.GetHashCode(StringComparison.Ordinal);
}

/// <summary>An object in a store: the run's store (StoreUri null) or another one named by URI.</summary>
public sealed class StoreTarget(string key, string? storeUri = null) : Target
{
    private string? _identity;
    public string Key { get; } = StoreKeys.Normalize(key);
    public string? StoreUri { get; } = storeUri;
    public override string Identity => _identity ??= (StoreUri ?? "store:") + (StoreUri is null ? "" : "/") + Key;

    /// <summary>A target beside this one whose key adds <paramref name="suffix"/>.</summary>
    public StoreTarget WithSuffix(string suffix) => new(Key + suffix, StoreUri);

    protected override bool SameAs(Target other) => other is StoreTarget s && s.Key == Key && s.StoreUri == StoreUri;
    protected override int Hash() => HashCode.Combine(Key.GetHashCode(StringComparison.Ordinal), StoreUri?.GetHashCode(StringComparison.Ordinal) ?? 0);
}

/// <summary>
/// Many files under a prefix, complete when the <c>_SUCCESS</c> marker exists. The marker is written last,
/// so a reader never sees the directory half made.
/// </summary>
public sealed class FlagTarget(string prefix, string? storeUri = null) : Target
{
    public const string MarkerName = "_SUCCESS";
    private StoreTarget? _marker;
    private string? _identity;
    public string Prefix { get; } = StoreKeys.Normalize(prefix).TrimEnd('/') + "/";
    public string? StoreUri { get; } = storeUri;
    public StoreTarget Marker => _marker ??= new(Prefix + MarkerName, StoreUri);
    public override string Identity => _identity ??= (StoreUri is null ? "store:" : StoreUri + "/") + Prefix;

    protected override bool SameAs(Target other) => other is FlagTarget f && f.Prefix == Prefix && f.StoreUri == StoreUri;
    protected override int Hash() => HashCode.Combine(Prefix.GetHashCode(StringComparison.Ordinal), StoreUri?.GetHashCode(StringComparison.Ordinal) ?? 0);
}

/// <summary>A file on this machine at a fixed path.</summary>
public sealed class LocalFileTarget(string path) : Target
{
    public string Path { get; } = System.IO.Path.GetFullPath(path);
    public override string Identity => "file://" + Path;
}

/// <summary>
/// A file in the local cache (e.g. a model fetched from the store), named relative to the cache folder. The folder is
/// the resolver's (<see cref="TargetResolver.CacheDirectory"/>, <c>--cache-dir</c>), so the same task definition finds
/// its file wherever the cache of the run that checks it lies, and two runs in one process with different caches never
/// see each other's files. Its path is known only through a resolver (<see cref="TargetResolver.PathOf"/>).
/// </summary>
public sealed class CacheFileTarget(string relativePath) : Target
{
    private string? _identity;
    public string RelativePath { get; } = StoreKeys.Normalize(relativePath);
    public override string Identity => _identity ??= "cache:" + RelativePath;

    /// <summary>A cache file beside this one whose name adds <paramref name="suffix"/>.</summary>
    public CacheFileTarget WithSuffix(string suffix) => new(RelativePath + suffix);
}

/// <summary>A key that would leave its folder ('..') or is empty: made from a bad parameter, so the CLI calls it a usage error.</summary>
public sealed class InvalidStoreKeyException(string message) : ArgumentException(message);

public static class StoreKeys
{
    public static string Normalize(string key)
    {
        var k = key.Contains('\\') ? key.Replace('\\', '/') : key;
        if (k.StartsWith('/')) k = k.TrimStart('/');
        if (k.Length == 0) throw new InvalidStoreKeyException("A store key must not be empty.");
        if (k.Contains("..", StringComparison.Ordinal) && k.Split('/').Any(part => part == ".."))
            throw new InvalidStoreKeyException(
                $"The store key '{key}' holds '..': a parameter that names part of a key (a region, run id, tile or site) " +
                "must not climb out of its folder; use letters, digits, '.', '_' or '-'.");
        return k;
    }

    /// <summary>The key's folder with a trailing slash ("" for a key at the root).</summary>
    public static string Parent(string key)
    {
        var i = key.TrimEnd('/').LastIndexOf('/');
        return i < 0 ? "" : key[..(i + 1)];
    }
}
