namespace Detect.Engine.Storage;

/// <summary>
/// A flat key → bytes store with the semantics the engine needs: existence, prefix listing, streaming reads,
/// atomic publication of a finished file, deletion and an exclusive create for leases.
/// Keys are relative to the store's root and use '/'.
/// </summary>
public interface IObjectStore : IDisposable
{
    /// <summary>The root URI: <c>file:///abs/path</c> or <c>s3://bucket/prefix</c>.</summary>
    string Uri { get; }

    string UriOf(string key);

    Task<bool> ExistsAsync(string key, CancellationToken ct = default);

    /// <summary>Every key that starts with <paramref name="prefix"/> (recursively), in ordinal order.</summary>
    Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken ct = default);

    /// <summary>Opens an object for reading; throws <see cref="ObjectNotFoundException"/> when absent.</summary>
    Task<Stream> OpenReadAsync(string key, CancellationToken ct = default);

    Task DownloadAsync(string key, string localPath, CancellationToken ct = default);

    /// <summary>Copies a finished local file to <paramref name="key"/> so that it appears complete or not at all.</summary>
    Task PublishFileAsync(string key, string localPath, CancellationToken ct = default);

    /// <summary>
    /// Like <see cref="PublishFileAsync"/> for a file the caller no longer needs (a task's staged output): a store
    /// may move it instead of copying. The object still appears complete or not at all.
    /// </summary>
    Task PublishStagedFileAsync(string key, string localPath, CancellationToken ct = default) => PublishFileAsync(key, localPath, ct);

    /// <summary>Deletes the object if present.</summary>
    Task DeleteAsync(string key, CancellationToken ct = default);

    /// <summary>Deletes every object under the prefix.</summary>
    Task DeletePrefixAsync(string prefix, CancellationToken ct = default);

    /// <summary>Creates the object only if no object has that key; false when one already exists.</summary>
    Task<bool> TryCreateExclusiveAsync(string key, ReadOnlyMemory<byte> content, CancellationToken ct = default);

    /// <summary>
    /// Where <paramref name="key"/> can be read in place (a local file, an S3 object with this store's settings),
    /// or null when it must be downloaded. It says nothing about whether the object exists.
    /// </summary>
    ObjectLocation? Locate(string key) => null;

    /// <summary>Deletes an object made by <see cref="TryCreateExclusiveAsync"/> (a lease); a store may recycle its storage.</summary>
    Task ReleaseExclusiveAsync(string key, CancellationToken ct = default) => DeleteAsync(key, ct);
}

/// <summary>A store operation failed; the message names the store URI and key, never credentials.</summary>
public class StoreException(string message, Exception? inner = null) : Exception(message, inner);

public sealed class ObjectNotFoundException(string uri) : StoreException($"No object at {uri}.");
