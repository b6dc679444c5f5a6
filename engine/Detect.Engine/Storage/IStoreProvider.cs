namespace Detect.Engine.Storage;

/// <summary>
/// Opens the stores of one URI scheme. A new kind of store is a folder under <c>Storage/</c> with its
/// <see cref="IObjectStore"/> and a provider, plus one <see cref="StoreRegistry.Register"/> line.
/// </summary>
public interface IStoreProvider
{
    /// <summary>The URI scheme, lower case (<c>s3</c>); plain paths belong to <c>file</c>.</summary>
    string Scheme { get; }

    /// <summary>How a store URI of this scheme looks, for messages: <c>s3://bucket/prefix</c>.</summary>
    string Form { get; }

    /// <summary>Opens the store rooted at <paramref name="uri"/> (of this provider's scheme); bad parts are a <see cref="StoreException"/>.</summary>
    IObjectStore Open(StoreUri uri);
}
