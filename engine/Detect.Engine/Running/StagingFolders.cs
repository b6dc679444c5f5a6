using System.Collections.Concurrent;

namespace Detect.Engine;

/// <summary>
/// The private folders task attempts stage their outputs in, under one root. A folder left empty by an attempt
/// (its outputs were moved into the store) is handed to the next attempt instead of being deleted and made anew:
/// with small tasks, creating and removing a folder per task cost more than the task (ext4 allocates each new
/// inode past the recently deleted ones). A folder with anything left in it is deleted whole.
/// </summary>
internal sealed class StagingFolders(string root)
{
    private readonly ConcurrentBag<string> _empty = [];

    public string Root { get; } = root;

    public string Rent()
    {
        if (_empty.TryTake(out var folder)) return folder;
        folder = Path.Combine(Root, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    public void Return(string folder)
    {
        try
        {
            if (!Directory.EnumerateFileSystemEntries(folder).Any()) { _empty.Add(folder); return; }
            Directory.Delete(folder, recursive: true);
        }
        catch (DirectoryNotFoundException) { }
    }

    /// <summary>Removes the empty folders kept for reuse (at the end of a run).</summary>
    public void Trim()
    {
        while (_empty.TryTake(out var folder))
        {
            try { Directory.Delete(folder); }
            catch (IOException) { } // not ours to worry about: in use again or already gone
        }
    }
}
