namespace Detect.Engine.Storage;

/// <summary>
/// The embedded store: a local directory with the same layout as the S3 one. Publication copies to a
/// hidden partial file in the destination folder and renames it, which is atomic on POSIX file systems.
/// </summary>
public sealed class LocalObjectStore : IObjectStore
{
    internal const string PartialMarker = ".partial-";
    private const int AlreadyExists = 17; // EEXIST: .NET reports it as the IOException's HResult on Unix

    public LocalObjectStore(string rootDirectory)
    {
        Root = Path.GetFullPath(rootDirectory);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }
    public string Uri => "file://" + Root;
    public string UriOf(string key) => "file://" + PathOf(key);

    public string PathOf(string key) => Path.Combine(Root, StoreKeys.Normalize(key));

    public ObjectLocation Locate(string key) => new ObjectLocation.LocalFile(PathOf(key));

    public Task<bool> ExistsAsync(string key, CancellationToken ct = default) => Task.FromResult(File.Exists(PathOf(key)));

    public Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken ct = default)
    {
        var normalized = prefix.Replace('\\', '/').TrimStart('/');
        // Walk only the deepest folder the prefix names: "a/b/" → a/b, "a/b/c" → a/b.
        var folder = Path.Combine(Root, normalized.EndsWith('/') ? normalized : StoreKeys.Parent(normalized));
        if (!Directory.Exists(folder)) return Task.FromResult<IReadOnlyList<string>>([]);
        var keys = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
            .Where(k => k.StartsWith(normalized, StringComparison.Ordinal) && !IsPartial(k))
            .Order(StringComparer.Ordinal)
            .ToList();
        return Task.FromResult<IReadOnlyList<string>>(keys);
    }

    public Task<Stream> OpenReadAsync(string key, CancellationToken ct = default)
    {
        var path = PathOf(key);
        try
        {
            return Task.FromResult<Stream>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, useAsync: true));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ObjectNotFoundException(UriOf(key));
        }
    }

    public async Task DownloadAsync(string key, string localPath, CancellationToken ct = default)
    {
        await using var source = await OpenReadAsync(key, ct);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(localPath))!);
        var partial = localPath + PartialMarker + Guid.NewGuid().ToString("N")[..8];
        try
        {
            await using (var target = File.Create(partial)) await source.CopyToAsync(target, ct);
            File.Move(partial, localPath, overwrite: true);
        }
        finally { File.Delete(partial); }
    }

    public async Task PublishFileAsync(string key, string localPath, CancellationToken ct = default)
    {
        var destination = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        var partial = Path.Combine(Path.GetDirectoryName(destination)!,
            "." + Path.GetFileName(destination) + PartialMarker + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await using (var source = new FileStream(localPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true))
            await using (var target = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
                await source.CopyToAsync(target, ct);
            File.Move(partial, destination, overwrite: true);
        }
        finally { File.Delete(partial); }
    }

    public Task DeleteAsync(string key, CancellationToken ct = default)
    {
        File.Delete(PathOf(key));
        return Task.CompletedTask;
    }

    public async Task DeletePrefixAsync(string prefix, CancellationToken ct = default)
    {
        foreach (var key in await ListAsync(prefix, ct)) File.Delete(PathOf(key));
    }

    public async Task<bool> TryCreateExclusiveAsync(string key, ReadOnlyMemory<byte> content, CancellationToken ct = default)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            // Share with readers: a lease reader may open it while we write the few bytes.
            await using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            await stream.WriteAsync(content, ct);
            return true;
        }
        catch (IOException e) when (e.HResult == AlreadyExists || File.Exists(path))
        {
            // Also when the holder released it again right after our attempt: the caller simply tries again.
            return false;
        }
    }

    public void Dispose() { }

    private static bool IsPartial(string key) => key.Contains(PartialMarker, StringComparison.Ordinal);
}
