namespace Detect.Engine.Storage;

/// <summary>
/// What went wrong with a local store folder, in words that name the folder at fault and the fix: a regular file
/// where a folder must be, a folder this user may not write (with its permissions), or the system's own message.
/// </summary>
public static class LocalStoreErrors
{
    private const string ChooseStore = "Choose a store you can write (--store, DETECT_STORE or [core] store)";

    /// <summary>Why the folder <paramref name="root"/> (<paramref name="what"/>: "local store", "cache folder") could not be created.</summary>
    public static string CannotCreate(string root, Exception e, string what = "local store", string choose = ChooseStore)
    {
        var blocker = FirstExisting(root);
        if (blocker is not null && File.Exists(blocker))
            return $"The {what} '{root}' cannot be created: '{blocker}' is a regular file, not a folder. " +
                   "Choose a path whose parents are folders (or move the file away).";
        if (e is UnauthorizedAccessException && blocker is not null)
            return $"The {what} '{root}' cannot be created: user '{Environment.UserName}' may not create folders in '{blocker}' ({Permissions(blocker)}). " +
                   $"{choose}, or give this user write permission there.";
        return $"The {what} '{root}' cannot be created: {e.Message}";
    }

    /// <summary>Why nothing can be written in the existing store <paramref name="root"/> (<paramref name="path"/>: what was being written).</summary>
    public static string CannotWrite(string root, string path, Exception e)
    {
        if (e is UnauthorizedAccessException)
        {
            var folder = FirstExisting(Path.GetDirectoryName(path) ?? root) ?? root;
            return $"Cannot write to the local store '{root}': user '{Environment.UserName}' may not write in '{folder}' ({Permissions(folder)}). " +
                   $"{ChooseStore}, or give this user write permission there.";
        }
        return $"Cannot write to the local store '{root}' ({path}): {e.Message}";
    }

    /// <summary>The deepest part of <paramref name="path"/> that exists (a file or a folder); null if none does.</summary>
    private static string? FirstExisting(string path)
    {
        for (var p = Path.GetFullPath(path); !string.IsNullOrEmpty(p); p = Path.GetDirectoryName(p))
            if (File.Exists(p) || Directory.Exists(p)) return p;
        return null;
    }

    private static string Permissions(string path)
    {
        if (OperatingSystem.IsWindows()) return "read-only";
        try
        {
            var mode = File.GetUnixFileMode(path);
            char Bit(UnixFileMode m, char c) => (mode & m) != 0 ? c : '-';
            return "mode " + string.Concat(
                Bit(UnixFileMode.UserRead, 'r'), Bit(UnixFileMode.UserWrite, 'w'), Bit(UnixFileMode.UserExecute, 'x'),
                Bit(UnixFileMode.GroupRead, 'r'), Bit(UnixFileMode.GroupWrite, 'w'), Bit(UnixFileMode.GroupExecute, 'x'),
                Bit(UnixFileMode.OtherRead, 'r'), Bit(UnixFileMode.OtherWrite, 'w'), Bit(UnixFileMode.OtherExecute, 'x'));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return "permissions unknown"; }
    }
}
