namespace Detect.Engine.Storage;

/// <summary>
/// The embedded store: a local directory with the same layout as the S3 one. Publication copies to a
/// hidden partial file in the destination folder and renames it, which is atomic on POSIX file systems.
/// (Its namespace is the storage root's, not <c>Storage.Local</c>: it is the default store every program uses.)
/// </summary>
public sealed class LocalObjectStore : IObjectStore
{
    internal const string PartialMarker = ".partial-";
    /// <summary>Where <see cref="LocalExclusiveFiles"/> keeps its spare files: the store's own, never listed.</summary>
    private const string SpareFolder = ".detect/spare/";
    private const int AlreadyExists = 17; // EEXIST: .NET reports it as the IOException's HResult on Unix

    private readonly LocalExclusiveFiles _exclusive;

    /// <exception cref="StoreUsageException">The folder cannot be made: a regular file on its path, or no permission.</exception>
    public LocalObjectStore(string rootDirectory)
    {
        Root = Path.GetFullPath(rootDirectory);
        try { Directory.CreateDirectory(Root); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreUsageException(LocalStoreErrors.CannotCreate(Root, e), e);
        }
        _exclusive = new LocalExclusiveFiles(Path.Combine(Root, SpareFolder));
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
        // Keys are made straight from each entry (one string per file, no full path first).
        var rootLength = Root.Length + 1;
        var files = new System.IO.Enumeration.FileSystemEnumerable<string>(folder,
            (ref System.IO.Enumeration.FileSystemEntry entry) => entry.Directory.Length < rootLength
                ? entry.FileName.ToString()
                : string.Concat(entry.Directory[rootLength..], "/", entry.FileName),
            new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = false, AttributesToSkip = 0 })
        {
            ShouldIncludePredicate = (ref System.IO.Enumeration.FileSystemEntry entry) => !entry.IsDirectory,
        };
        var keys = new List<string>();
        foreach (var key in files)
        {
            var normalizedKey = Path.DirectorySeparatorChar == '/' ? key : key.Replace(Path.DirectorySeparatorChar, '/');
            if (normalizedKey.StartsWith(normalized, StringComparison.Ordinal) && !IsPartial(normalizedKey)
                && !normalizedKey.StartsWith(SpareFolder, StringComparison.Ordinal)) keys.Add(normalizedKey);
        }
        keys.Sort(StringComparer.Ordinal);
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
            await using (var source = OpenSource(key, localPath))
            await using (var target = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
                await source.CopyToAsync(target, ct);
            File.Move(partial, destination, overwrite: true);
        }
        finally { File.Delete(partial); }
    }

    private FileStream OpenSource(string key, string localPath)
    {
        try { return new FileStream(localPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { throw MissingSource(key, localPath, e); }
    }

    private StoreException MissingSource(string key, string localPath, Exception e) =>
        new($"Cannot publish {UriOf(key)}: the local file '{localPath}' does not exist.", e);

    /// <summary>
    /// Publishes a staged file by renaming it into place: atomic, and no copy. Straight to the destination when
    /// the staged file is known to be on this store's file system (staging under the store root, no link or
    /// mount point in between: see <see cref="SharesFileSystem"/>); otherwise first to a hidden partial name
    /// beside the destination (a rename there, or a copy from another disk), then into place.
    /// </summary>
    public Task PublishStagedFileAsync(string key, string localPath, CancellationToken ct = default)
    {
        var destination = PathOf(key);
        var folder = Path.GetDirectoryName(destination)!;
        try
        {
            if (SharesFileSystem(Path.GetDirectoryName(localPath)!))
            {
                RenameCreatingFolder(localPath, destination, folder);
                return Task.CompletedTask;
            }
            var partial = Path.Combine(folder, "." + Path.GetFileName(destination) + PartialMarker + Guid.NewGuid().ToString("N")[..8]);
            try
            {
                MoveCreatingFolder(localPath, partial, folder, overwrite: false);
                File.Move(partial, destination, overwrite: true);
            }
            catch
            {
                File.Delete(partial);
                throw;
            }
            return Task.CompletedTask;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException && !File.Exists(localPath))
        {
            throw MissingSource(key, localPath, e);
        }
    }

    /// <summary>
    /// True when a file in <paramref name="folder"/> is certainly on the same file system as the store root, so
    /// a rename from there is atomic and never falls back to a copy: the folder is under the root, no folder on
    /// the way is a symbolic link, and no mount point lies under the root (Linux: /proc/self/mountinfo).
    /// Remembered per folder as given (staging folders are few and reused), so the answer costs no path work.
    /// </summary>
    internal bool SharesFileSystem(string folder) => _sameFileSystem.GetOrAdd(folder, f =>
    {
        f = Path.GetFullPath(f);
        var root = Root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        if (!f.StartsWith(root, StringComparison.Ordinal)) return false;
        for (var dir = new DirectoryInfo(f); dir.FullName.Length >= root.Length; dir = dir.Parent!)
            if (!dir.Exists || dir.LinkTarget is not null) return false;
        return MountPointsUnder(root).Count == 0;
    });

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _sameFileSystem = new(StringComparer.Ordinal);

    private static List<string> MountPointsUnder(string root)
    {
        const string mountInfo = "/proc/self/mountinfo";
        if (!File.Exists(mountInfo)) return ["(unknown: no " + mountInfo + ")"];
        // Field 5 is the mount point; spaces in it are written as \040.
        return File.ReadLines(mountInfo)
            .Select(line => line.Split(' '))
            .Where(fields => fields.Length > 4)
            .Select(fields => fields[4].Replace("\\040", " ") + "/")
            .Where(mount => mount.StartsWith(root, StringComparison.Ordinal) && mount.Length > root.Length)
            .ToList();
    }

    /// <summary>
    /// Renames <paramref name="source"/> over <paramref name="destination"/> (same file system), creating the folder
    /// only when it is missing. On Linux one <c>rename(2)</c> (see <see cref="PosixFiles"/>); elsewhere File.Move.
    /// </summary>
    private static void RenameCreatingFolder(string source, string destination, string folder)
    {
        if (!OperatingSystem.IsLinux())
        {
            MoveCreatingFolder(source, destination, folder, overwrite: true);
            return;
        }
        var error = PosixFiles.Rename(source, destination);
        if (error == PosixFiles.NoEntry)
        {
            if (!File.Exists(source)) throw new FileNotFoundException($"No file {source}.", source);
            Directory.CreateDirectory(folder);
            error = PosixFiles.Rename(source, destination);
        }
        // Anything else (another disk after all, a folder in the way, no permission): File.Move copes or says why.
        if (error != 0) MoveCreatingFolder(source, destination, folder, overwrite: true);
    }

    /// <summary>File.Move, creating the destination folder only when it is missing (the common case costs no mkdir).</summary>
    private static void MoveCreatingFolder(string source, string destination, string folder, bool overwrite)
    {
        try { File.Move(source, destination, overwrite); }
        catch (DirectoryNotFoundException) when (File.Exists(source))
        {
            Directory.CreateDirectory(folder);
            File.Move(source, destination, overwrite);
        }
    }

    public Task DeleteAsync(string key, CancellationToken ct = default)
    {
        try { File.Delete(PathOf(key)); }
        catch (DirectoryNotFoundException) { } // no folder, no object: deleting is idempotent
        return Task.CompletedTask;
    }

    public async Task DeletePrefixAsync(string prefix, CancellationToken ct = default)
    {
        foreach (var key in await ListAsync(prefix, ct)) File.Delete(PathOf(key));
    }

    public Task<bool> TryCreateExclusiveAsync(string key, ReadOnlyMemory<byte> content, CancellationToken ct = default)
    {
        var path = PathOf(key);
        try { return TryCreateExclusive(path, content); }
        catch (UnauthorizedAccessException e) { throw new StoreUsageException(LocalStoreErrors.CannotWrite(Root, path, e), e); }
        catch (IOException e) { throw new StoreException(LocalStoreErrors.CannotWrite(Root, path, e), e); }
    }

    private Task<bool> TryCreateExclusive(string path, ReadOnlyMemory<byte> content)
    {
        bool? linked;
        try { linked = _exclusive.TryCreate(path, content.Span); }
        catch (DirectoryNotFoundException)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            linked = _exclusive.TryCreate(path, content.Span);
        }
        if (linked is { } created) return Task.FromResult(created);

        Microsoft.Win32.SafeHandles.SafeFileHandle? handle;
        try { handle = TryCreateNew(path); }
        catch (DirectoryNotFoundException)
        {
            // The folder is made only when missing, so the common case costs no mkdir; a failure here is the store's.
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            handle = TryCreateNew(path);
        }
        if (handle is null) return Task.FromResult(false);
        using (handle) RandomAccess.Write(handle, content.Span, 0);
        return Task.FromResult(true);
    }

    /// <summary>Creates the file, or null when it exists (also when its holder released it right after our attempt: the caller tries again).</summary>
    private static Microsoft.Win32.SafeHandles.SafeFileHandle? TryCreateNew(string path)
    {
        try
        {
            // Share with readers: a lease reader may open it while we write the few bytes.
            return File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (IOException e) when (e is not DirectoryNotFoundException && (e.HResult == AlreadyExists || File.Exists(path)))
        {
            return null;
        }
    }

    /// <summary>Removes an object made by <see cref="TryCreateExclusiveAsync"/>, keeping its file for the next one.</summary>
    public Task ReleaseExclusiveAsync(string key, CancellationToken ct = default)
    {
        var path = PathOf(key);
        if (!_exclusive.TryRelease(path)) return DeleteAsync(key, ct);
        return Task.CompletedTask;
    }

    public void Dispose() => _exclusive.Dispose();

    private static bool IsPartial(string key) => key.Contains(PartialMarker, StringComparison.Ordinal);
}
