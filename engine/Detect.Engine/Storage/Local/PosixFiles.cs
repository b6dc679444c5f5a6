using System.Runtime.InteropServices;

namespace Detect.Engine.Storage;

/// <summary>
/// The two libc calls the local store makes itself (Linux): <c>link(2)</c>, which .NET has no API for, and a plain
/// <c>rename(2)</c>. <see cref="File.Move(string, string, bool)"/> stats the source (and, without overwrite, the
/// destination) before it renames, three to four system calls where one does: every task publishes its output and
/// releases its lease by renaming, so on small tasks the extra calls are a measurable share of the run.
/// Errors come back as errno values; callers map them (and fall back to .NET where these are not available).
/// </summary>
internal static class PosixFiles
{
    public const int NoEntry = 2, Exists = 17; // ENOENT, EEXIST

    /// <summary>0 on success, else errno.</summary>
    public static int Link(string existingPath, string newPath) => link(existingPath, newPath) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>0 on success, else errno. Replaces <paramref name="newPath"/> if it exists (POSIX rename: atomic).</summary>
    public static int Rename(string oldPath, string newPath) => rename(oldPath, newPath) == 0 ? 0 : Marshal.GetLastPInvokeError();

    [DllImport("libc.so.6", SetLastError = true)]
    private static extern int link([MarshalAs(UnmanagedType.LPUTF8Str)] string existingPath, [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath);

    [DllImport("libc.so.6", SetLastError = true)]
    private static extern int rename([MarshalAs(UnmanagedType.LPUTF8Str)] string oldPath, [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath);
}
