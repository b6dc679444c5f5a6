namespace Detect.Engine;

/// <summary>
/// Something a task makes. Targets are descriptions (a key in a store, a local path); the engine resolves
/// and checks them, so one task definition works on every store.
/// </summary>
public abstract class Target : IEquatable<Target>
{
    /// <summary>A stable identity for equality and messages, e.g. <c>store:runs/x/y.json</c>.</summary>
    public abstract string Identity { get; }

    public bool Equals(Target? other) => other is not null && other.Identity == Identity;
    public override bool Equals(object? obj) => obj is Target t && Equals(t);
    public override int GetHashCode() => Identity.GetHashCode(StringComparison.Ordinal);
    // (Identity is computed once per instance: targets are hashed many times while a graph is resolved.)
    public override string ToString() => Identity;
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
}

/// <summary>A file on this machine, e.g. a model in the local cache.</summary>
public sealed class LocalFileTarget(string path) : Target
{
    public string Path { get; } = System.IO.Path.GetFullPath(path);
    public override string Identity => "file://" + Path;
}

public static class StoreKeys
{
    public static string Normalize(string key)
    {
        var k = key.Contains('\\') ? key.Replace('\\', '/') : key;
        if (k.StartsWith('/')) k = k.TrimStart('/');
        if (k.Length == 0) throw new ArgumentException("A store key must not be empty.", nameof(key));
        if (k.Contains("..", StringComparison.Ordinal) && k.Split('/').Any(part => part == ".."))
            throw new ArgumentException($"Store key '{key}' must not contain '..'.", nameof(key));
        return k;
    }

    /// <summary>The key's folder with a trailing slash ("" for a key at the root).</summary>
    public static string Parent(string key)
    {
        var i = key.TrimEnd('/').LastIndexOf('/');
        return i < 0 ? "" : key[..(i + 1)];
    }
}
