namespace Detect.Engine.Storage;

/// <summary>Local directories: <c>file:///path</c> or a plain path.</summary>
public sealed class LocalStoreProvider : IStoreProvider
{
    public string Scheme => StoreUri.FileScheme;
    public string Form => "file:///path (or a local path)";
    public IObjectStore Open(StoreUri uri) => new LocalObjectStore(uri.Path);
}
