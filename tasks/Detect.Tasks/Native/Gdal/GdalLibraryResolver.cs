using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace Detect.Tasks.Native.Gdal;

/// <summary>
/// Finds libgdal when the unversioned name is absent (Debian's runtime package ships only libgdal.so.32).
/// Hooked on <see cref="AssemblyLoadContext.ResolvingUnmanagedDll"/>, which allows several handlers, so it
/// cannot clash with another library's resolver in this assembly.
/// </summary>
internal static class GdalLibraryResolver
{
    private static readonly string[] Candidates =
    [
        "libgdal.so", "libgdal.so.38", "libgdal.so.37", "libgdal.so.36", "libgdal.so.35", "libgdal.so.34",
        "libgdal.so.33", "libgdal.so.32", "libgdal.so.31", "libgdal.so.30", "libgdal.dylib", "gdal.dll",
    ];

    private static int _installed;

    internal static void Install()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 1) return;
        AssemblyLoadContext.Default.ResolvingUnmanagedDll += Resolve;
    }

    private static IntPtr Resolve(Assembly assembly, string name) => name == GdalNative.Library ? Handle : IntPtr.Zero;

    private static IntPtr _handle;

    /// <summary>The loaded libgdal (the first candidate name that loads).</summary>
    internal static IntPtr Handle
    {
        get
        {
            if (_handle != IntPtr.Zero) return _handle;
            foreach (var candidate in Candidates)
                if (NativeLibrary.TryLoad(candidate, out var handle)) return _handle = handle;
            throw new DllNotFoundException(
            "GDAL's C library (libgdal.so.NN) was not found. Install it (Debian/Ubuntu: apt-get install libgdal32 or " +
            "the libgdalNN your release ships; it comes with gdal-bin) or put it on LD_LIBRARY_PATH.");
        }
    }
}
