using Detect.Engine.Storage;

namespace Detect.Engine.Tests.Storage;

/// <summary>Counts the requests a real store receives, by kind, for tests that assert how many a run makes.</summary>
internal sealed class CountingStore(IObjectStore inner) : IObjectStore
{
    public int Lists, Heads, ExclusiveCreates;
    public System.Collections.Concurrent.ConcurrentDictionary<string, int> ExclusiveCreatesOf { get; } = new();
    public string Uri => inner.Uri;
    public string UriOf(string key) => inner.UriOf(key);
    public Task<bool> ExistsAsync(string key, CancellationToken ct = default) { Interlocked.Increment(ref Heads); return inner.ExistsAsync(key, ct); }
    public Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken ct = default) { Interlocked.Increment(ref Lists); return inner.ListAsync(prefix, ct); }
    public Task<Stream> OpenReadAsync(string key, CancellationToken ct = default) => inner.OpenReadAsync(key, ct);
    public Task DownloadAsync(string key, string localPath, CancellationToken ct = default) => inner.DownloadAsync(key, localPath, ct);
    public Task PublishFileAsync(string key, string localPath, CancellationToken ct = default) => inner.PublishFileAsync(key, localPath, ct);
    public Task PublishStagedFileAsync(string key, string localPath, CancellationToken ct = default) => inner.PublishStagedFileAsync(key, localPath, ct);
    public Task DeleteAsync(string key, CancellationToken ct = default) => inner.DeleteAsync(key, ct);
    public Task DeletePrefixAsync(string prefix, CancellationToken ct = default) => inner.DeletePrefixAsync(prefix, ct);
    public Task ReleaseExclusiveAsync(string key, CancellationToken ct = default) => inner.ReleaseExclusiveAsync(key, ct);
    public Task<bool> TryCreateExclusiveAsync(string key, ReadOnlyMemory<byte> content, CancellationToken ct = default)
    {
        Interlocked.Increment(ref ExclusiveCreates);
        ExclusiveCreatesOf.AddOrUpdate(key, 1, (_, n) => n + 1);
        return inner.TryCreateExclusiveAsync(key, content, ct);
    }
    public void Dispose() { }
}
