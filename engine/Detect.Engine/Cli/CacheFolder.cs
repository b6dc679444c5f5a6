using Detect.Engine.Parameters;

namespace Detect.Engine.Cli;

/// <summary>--cache-dir: made (if missing) before anything runs, so an unusable folder is a usage error, not a task failure.</summary>
internal static class CacheFolder
{
    /// <summary>The full path, created.</summary>
    public static string Prepare(string folder)
    {
        var full = Path.GetFullPath(folder);
        try { Directory.CreateDirectory(full); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ParameterException(Storage.LocalStoreErrors.CannotCreate(full, e, "cache folder (--cache-dir)",
                "Choose a cache folder you can write (--cache-dir, DETECT_CACHE_DIR or [core] cache_dir)"));
        }
        return full;
    }
}
