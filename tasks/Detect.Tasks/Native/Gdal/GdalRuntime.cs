using System.Runtime.InteropServices;

namespace Detect.Tasks.Native.Gdal;

/// <summary>
/// Process-wide GDAL set-up (library resolution, driver registration, quiet error handler) and the error
/// plumbing every wrapper uses: a failed call is turned into a <see cref="GdalException"/> naming the file.
/// </summary>
public static class GdalRuntime
{
    private static readonly object Gate = new();
    private static bool _initialized;

    /// <summary>Registers all drivers once. Safe to call from anywhere, any number of times.</summary>
    public static void EnsureInitialized()
    {
        if (Volatile.Read(ref _initialized)) return;
        lock (Gate)
        {
            if (_initialized) return;
            GdalLibraryResolver.Install();
            GdalNative.GDALAllRegister();
            // GDAL records the last error per thread before it calls the handler; the quiet handler keeps
            // GDAL from printing to stderr so that errors reach users once, through our exceptions.
            if (NativeLibrary.TryGetExport(GdalLibraryResolver.Handle, "CPLQuietErrorHandler", out var quiet))
                GdalNative.CPLSetErrorHandler(quiet);
            // Defaults for cloud-optimised reads (an environment variable of the same name still wins):
            // don't list the folder of every file opened, and retry transient HTTP/S3 errors.
            SetDefault("GDAL_DISABLE_READDIR_ON_OPEN", "EMPTY_DIR");
            SetDefault("GDAL_HTTP_MAX_RETRY", "4");
            SetDefault("GDAL_HTTP_RETRY_DELAY", "1");
            // Fewer, larger range reads: each HTTP/S3 request costs a round trip (and money on requester-pays
            // buckets); 512 KiB covers a Sentinel-2 JP2 tile-part or several COG tiles in one GET (default 16 KiB).
            SetDefault("CPL_VSIL_CURL_CHUNK_SIZE", "524288");
            // No .aux.xml side-cars: everything this program writes keeps its metadata inside the file (COG tags),
            // and looking for them costs a GET and a LIST per remote raster opened.
            SetDefault("GDAL_PAM_ENABLED", "NO");
            // A 256 MB block cache instead of GDAL's 5 % of RAM (1.2 GB on 24 GB, 6 GB on 128 GB). A tile reads each
            // block of a scene once (its windows are cut per period, a scene belongs to one), and the next tile would
            // need the ~2.4 GB of blocks a tile decodes to reuse any: the default cache only added resident memory.
            SetDefault("GDAL_CACHEMAX", "256");
            Volatile.Write(ref _initialized, true);
        }
    }

    private static void SetDefault(string key, string value)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(key))) SetConfigOption(key, value);
    }

    /// <summary>Sets a process-wide GDAL configuration option (null clears it).</summary>
    public static void SetConfigOption(string key, string? value)
    {
        GdalLibraryResolver.Install();
        GdalNative.CPLSetConfigOption(key, value);
    }

    /// <summary>Sets a configuration option for the calling thread only (null clears it).</summary>
    public static void SetThreadLocalConfigOption(string key, string? value)
    {
        GdalLibraryResolver.Install();
        GdalNative.CPLSetThreadLocalConfigOption(key, value);
    }

    /// <summary>Sets a configuration option for paths under <paramref name="pathPrefix"/> only (e.g. "/vsis3/bucket").</summary>
    public static void SetPathSpecificOption(string pathPrefix, string key, string? value)
    {
        GdalLibraryResolver.Install();
        GdalNative.VSISetPathSpecificOption(pathPrefix, key, value);
    }

    /// <summary>The option GDAL uses for <paramref name="path"/>: path-specific if set, else the process-wide one.</summary>
    public static string? GetPathSpecificOption(string path, string key)
    {
        EnsureInitialized();
        return GdalNative.Utf8(GdalNative.VSIGetPathSpecificOption(path, key, null));
    }

    public static string? GetConfigOption(string key)
    {
        EnsureInitialized();
        return GdalNative.Utf8(GdalNative.CPLGetConfigOption(key, null));
    }

    /// <summary>GDAL's last error message on this thread, or a generic text when it recorded none.</summary>
    internal static string LastError()
    {
        var message = GdalNative.Utf8(GdalNative.CPLGetLastErrorMsg());
        return string.IsNullOrWhiteSpace(message) ? "GDAL reported no detail" : message.Trim();
    }

    internal static GdalException Failure(string what, string? path)
    {
        var detail = LastError();
        GdalNative.CPLErrorReset();
        return new GdalException(path is null ? $"{what} failed: {detail}" : $"{what} '{path}' failed: {detail}", path);
    }

    internal static void Check(int cplErr, string what, string? path)
    {
        if (cplErr >= GdalNative.CE_Failure) throw Failure(what, path);
    }
}
