using Detect.Engine.Storage;

namespace Detect.Bench;

/// <summary>Counts the calls a real store receives, by kind, so a benchmark can report requests per resolution.</summary>
internal sealed class CountingObjectStore(IObjectStore inner) : IObjectStore
{
    private int _exists, _lists, _reads, _writes, _deletes;
    public int Exists => _exists;
    public int Lists => _lists;
    public int Total => _exists + _lists + _reads + _writes + _deletes;
    public void Reset() => _exists = _lists = _reads = _writes = _deletes = 0;

    public string Uri => inner.Uri;
    public string UriOf(string key) => inner.UriOf(key);
    public Task<bool> ExistsAsync(string key, CancellationToken ct = default) { Interlocked.Increment(ref _exists); return inner.ExistsAsync(key, ct); }
    public Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken ct = default) { Interlocked.Increment(ref _lists); return inner.ListAsync(prefix, ct); }
    public Task<Stream> OpenReadAsync(string key, CancellationToken ct = default) { Interlocked.Increment(ref _reads); return inner.OpenReadAsync(key, ct); }
    public Task DownloadAsync(string key, string localPath, CancellationToken ct = default) { Interlocked.Increment(ref _reads); return inner.DownloadAsync(key, localPath, ct); }
    public Task PublishFileAsync(string key, string localPath, CancellationToken ct = default) { Interlocked.Increment(ref _writes); return inner.PublishFileAsync(key, localPath, ct); }
    public Task DeleteAsync(string key, CancellationToken ct = default) { Interlocked.Increment(ref _deletes); return inner.DeleteAsync(key, ct); }
    public Task DeletePrefixAsync(string prefix, CancellationToken ct = default) { Interlocked.Increment(ref _deletes); return inner.DeletePrefixAsync(prefix, ct); }
    public Task<bool> TryCreateExclusiveAsync(string key, ReadOnlyMemory<byte> content, CancellationToken ct = default) { Interlocked.Increment(ref _writes); return inner.TryCreateExclusiveAsync(key, content, ct); }
    public void Dispose() => inner.Dispose();
}
