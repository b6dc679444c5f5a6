using System.Collections.Concurrent;
using Detect.Engine.Storage.S3;

namespace Detect.Engine.Storage;

/// <summary>
/// The stores a program can open, found by URI scheme. <see cref="Default"/> knows local directories (<c>file://</c> and
/// plain paths) and S3 (<c>s3://</c>); a program adds its own with <see cref="Register"/> before it opens any.
/// </summary>
public sealed class StoreRegistry
{
    private readonly ConcurrentDictionary<string, IStoreProvider> _providers = new(StringComparer.Ordinal);
    private readonly List<string> _forms = [];

    /// <summary>The registry every program starts with: local stores and S3.</summary>
    public static StoreRegistry Default { get; } = new StoreRegistry()
        .Register(new LocalStoreProvider())
        .Register(new S3StoreProvider());

    /// <summary>Adds (or replaces) the provider of a scheme.</summary>
    public StoreRegistry Register(IStoreProvider provider)
    {
        lock (_forms)
        {
            if (_providers.TryGetValue(provider.Scheme, out var old)) _forms.Remove(old.Form);
            _providers[provider.Scheme] = provider;
            _forms.Add(provider.Form);
        }
        return this;
    }

    /// <summary>The store URIs this registry opens, for messages: "file:///path (or a local path), s3://bucket/prefix".</summary>
    public string Forms
    {
        get { lock (_forms) return string.Join(", ", _forms); }
    }

    /// <summary>True when <paramref name="uri"/>'s scheme has a store here.</summary>
    public bool Supports(StoreUri uri) => _providers.ContainsKey(uri.Scheme);

    /// <summary>Opens the store a URI or path names; an unknown scheme is a <see cref="StoreException"/> listing the known forms.</summary>
    public IObjectStore Open(string uri) => Open(StoreUri.Parse(uri), uri);

    public IObjectStore Open(StoreUri uri, string? asWritten = null) =>
        _providers.TryGetValue(uri.Scheme, out var provider)
            ? provider.Open(uri)
            : throw new StoreException($"'{asWritten ?? uri.ToString()}' is not a store this program can open: use {Forms}.");
}
