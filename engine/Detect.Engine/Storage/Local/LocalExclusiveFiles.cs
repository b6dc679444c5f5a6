using System.Collections.Concurrent;

namespace Detect.Engine.Storage;

/// <summary>
/// Exclusive create and release of small objects (leases) in a local store without making and freeing a file
/// (an inode) each time: every task takes and releases a lease, and on ext4 making new files right after many
/// were deleted is slow (its allocator skips recently freed inodes), which cost more than a small task itself.
/// <para>
/// Create: write the content into a spare file, then <c>link(2)</c> it to the key — atomic, and it fails with
/// EEXIST when the key exists (the classic lock-file idiom; also atomic on NFS). Readers see the whole content at
/// once. Release: rename the object back to a spare (atomic: the key is gone at once). .NET has no hard-link API,
/// so <c>link</c> (and the plain <c>rename</c>) come from libc (<see cref="PosixFiles"/>), Linux only. Elsewhere, or
/// where the file system refuses hard links, <see cref="TryCreate"/> answers null and the store creates and deletes
/// files instead. Spare names are this instance's nonce and a counter, and are used again once free.
/// </para>
/// </summary>
internal sealed class LocalExclusiveFiles(string spareFolder) : IDisposable
{
    private const int MaxSpares = 256;
    private readonly ConcurrentBag<string> _spares = [];
    private readonly ConcurrentBag<string> _freeNames = []; // spare names whose file became a lease: used again (the kernel keeps their entries cached)
    private volatile bool _enabled = OperatingSystem.IsLinux();
    private readonly string _sparePrefix = Path.Combine(spareFolder, Guid.NewGuid().ToString("N") + "-");
    private long _spareCount;

    /// <summary>True: created; false: the key exists; null: not available here (create it another way).</summary>
    /// <exception cref="DirectoryNotFoundException">The key's folder does not exist.</exception>
    public bool? TryCreate(string path, ReadOnlySpan<byte> content)
    {
        if (!_enabled) return null;
        string spare;
        try
        {
            spare = TakeSpare();
            // Nobody else knows the spare's name yet: no sharing needed (and an exclusive open skips the file-system
            // type check .NET makes before a shared lock on a file opened for writing).
            using var handle = File.OpenHandle(spare, FileMode.Open, FileAccess.Write, FileShare.None);
            RandomAccess.Write(handle, content, 0);
            if (RandomAccess.GetLength(handle) != content.Length) RandomAccess.SetLength(handle, content.Length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _enabled = false; // no usable spare folder: fall back for good
            return null;
        }
        int error;
        try { error = PosixFiles.Link(spare, path); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            _enabled = false;
            File.Delete(spare);
            return null;
        }
        if (error == 0)
        {
            File.Delete(spare); // the object keeps the inode; only the spare's name goes
            _freeNames.Add(spare);
            return true;
        }
        _spares.Add(spare);
        switch (error)
        {
            case PosixFiles.Exists: return false;
            case PosixFiles.NoEntry: throw new DirectoryNotFoundException($"No folder for {path}.");
            default:
                _enabled = false; // e.g. EPERM: a file system without hard links
                return null;
        }
    }

    /// <summary>Removes the object at <paramref name="path"/> by renaming it to a spare; false when it must be deleted instead.</summary>
    public bool TryRelease(string path)
    {
        if (!_enabled || _spares.Count >= MaxSpares) return false;
        var spare = NewSpareName(); // a name not in use: a plain rename
        var error = PosixFiles.Rename(path, spare);
        if (error == PosixFiles.NoEntry)
        {
            if (!File.Exists(path)) return true; // not there (nor perhaps its folder): nothing to release
            Directory.CreateDirectory(spareFolder);
            error = PosixFiles.Rename(path, spare);
        }
        if (error != 0) throw new IOException($"Cannot release {path} (rename to {spare}: errno {error}).");
        _spares.Add(spare);
        return true;
    }

    private string NewSpareName() => _freeNames.TryTake(out var name)
        ? name
        : _sparePrefix + Interlocked.Increment(ref _spareCount).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private string TakeSpare()
    {
        if (_spares.TryTake(out var spare)) return spare;
        spare = NewSpareName();
        try { File.Create(spare).Dispose(); }
        catch (DirectoryNotFoundException)
        {
            Directory.CreateDirectory(spareFolder);
            File.Create(spare).Dispose();
        }
        return spare;
    }

    /// <summary>Deletes the spare files (when the store is closed).</summary>
    public void Dispose()
    {
        while (_spares.TryTake(out var spare))
        {
            try { File.Delete(spare); } catch (IOException) { }
        }
    }
}
