using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Detect.Engine.Storage;

/// <summary>
/// Exclusive create and release of small objects (leases) in a local store without making and freeing a file
/// (an inode) each time: every task takes and releases a lease, and on ext4 making new files right after many
/// were deleted is slow (its allocator skips recently freed inodes), which cost more than a small task itself.
/// <para>
/// Create: write the content into a spare file, then <c>link(2)</c> it to the key — atomic, and it fails with
/// EEXIST when the key exists (the classic lock-file idiom; also atomic on NFS). Readers see the whole content at
/// once. Release: rename the object back to a spare (atomic: the key is gone at once). .NET has no hard-link API,
/// so <c>link</c> comes from libc — the engine's only native call, Linux only. Elsewhere, or where the file system
/// refuses hard links, <see cref="TryCreate"/> answers null and the store creates and deletes files instead.
/// </para>
/// </summary>
internal sealed class LocalExclusiveFiles(string spareFolder) : IDisposable
{
    private const int Exists = 17, NoEntry = 2; // EEXIST, ENOENT
    private const int MaxSpares = 256;
    private readonly ConcurrentBag<string> _spares = [];
    private volatile bool _enabled = OperatingSystem.IsLinux();

    /// <summary>True: created; false: the key exists; null: not available here (create it another way).</summary>
    /// <exception cref="DirectoryNotFoundException">The key's folder does not exist.</exception>
    public bool? TryCreate(string path, ReadOnlySpan<byte> content)
    {
        if (!_enabled) return null;
        string spare;
        try
        {
            spare = TakeSpare();
            using var handle = File.OpenHandle(spare, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            RandomAccess.Write(handle, content, 0);
            if (RandomAccess.GetLength(handle) != content.Length) RandomAccess.SetLength(handle, content.Length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _enabled = false; // no usable spare folder: fall back for good
            return null;
        }
        int result, error;
        try
        {
            result = Link(spare, path);
            error = result == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            _enabled = false;
            File.Delete(spare);
            return null;
        }
        if (result == 0)
        {
            File.Delete(spare); // the object keeps the inode; only the spare's name goes
            return true;
        }
        _spares.Add(spare);
        switch (error)
        {
            case Exists: return false;
            case NoEntry: throw new DirectoryNotFoundException($"No folder for {path}.");
            default:
                _enabled = false; // e.g. EPERM: a file system without hard links
                return null;
        }
    }

    /// <summary>Removes the object at <paramref name="path"/> by renaming it to a spare; false when it must be deleted instead.</summary>
    public bool TryRelease(string path)
    {
        if (!_enabled || _spares.Count >= MaxSpares) return false;
        var spare = Path.Combine(spareFolder, Guid.NewGuid().ToString("N"));
        try { File.Move(path, spare); } // spare names are new: this is a plain rename
        catch (FileNotFoundException) { return true; }
        catch (DirectoryNotFoundException) when (!File.Exists(path)) { return true; } // not even its folder: nothing to release
        catch (DirectoryNotFoundException) when (!Directory.Exists(spareFolder))
        {
            Directory.CreateDirectory(spareFolder);
            File.Move(path, spare);
        }
        _spares.Add(spare);
        return true;
    }

    private string TakeSpare()
    {
        if (_spares.TryTake(out var spare)) return spare;
        spare = Path.Combine(spareFolder, Guid.NewGuid().ToString("N"));
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

    [DllImport("libc.so.6", EntryPoint = "link", SetLastError = true)]
    private static extern int Link([MarshalAs(UnmanagedType.LPUTF8Str)] string existingPath, [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath);
}
