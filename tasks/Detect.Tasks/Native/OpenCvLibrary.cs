using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Detect.Tasks.Native;

/// <summary>
/// Loads OpenCV's native library (libOpenCvSharpExtern.so, from OpenCvSharp4.official.runtime.linux-x64) so that it
/// cannot break GDAL. The library bundles its own copies of libjpeg, libpng, zstd, lzma, libtiff …, with their symbols
/// exported. Loaded directly, the system libraries it pulls in (through GTK: libjpeg.so.62, libzstd.so.1, …) are
/// relocated in its lookup scope, where its bundled copies come first, so their internal calls land in the wrong copy;
/// GDAL then shares those half-rebound libraries and its COG writes fail ("TIFFReadEncodedTile() failed"). So each of
/// its direct dependencies (its ELF DT_NEEDED entries) is loaded first, on its own, where they bind to each other;
/// OpenCV then finds them loaded and leaves them alone.
/// </summary>
internal static class OpenCvLibrary
{
    public const string FileName = "libOpenCvSharpExtern.so";
    private static readonly Lazy<string> Loaded = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Loads it (once per process) before OpenCvSharp's first call; returns its path.</summary>
    public static string EnsureLoaded() => Loaded.Value;

    private static string Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, FileName);
        if (!File.Exists(path))
            throw new DllNotFoundException($"{path} is missing: the build copies it from the OpenCvSharp4.official.runtime.linux-x64 NuGet package.");
        foreach (var dependency in NeededLibraries(path))
            if (!NativeLibrary.TryLoad(dependency, out _))
                throw new DllNotFoundException($"{FileName} needs {dependency}, which cannot be loaded; scripts/setup.sh installs it (apt libgtk-3-0).");
        NativeLibrary.Load(path);
        return path;
    }

    /// <summary>The DT_NEEDED sonames of a little-endian ELF64 shared library, from its .dynamic and .dynstr sections.</summary>
    internal static IReadOnlyList<string> NeededLibraries(string elfPath)
    {
        var elf = File.ReadAllBytes(elfPath);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F' || elf[4] != 2 || elf[5] != 1)
            throw new BadImageFormatException($"{elfPath} is not a little-endian 64-bit ELF file.");
        long sectionTable = (long)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(0x28));
        int entrySize = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x3A));
        int sections = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x3C));
        ReadOnlySpan<byte> Section(int i) => elf.AsSpan((int)(sectionTable + (long)i * entrySize), entrySize);
        const uint Dynamic = 6; // SHT_DYNAMIC
        for (int i = 0; i < sections; i++)
        {
            var header = Section(i);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) != Dynamic) continue;
            long offset = (long)BinaryPrimitives.ReadUInt64LittleEndian(header[0x18..]);
            long size = (long)BinaryPrimitives.ReadUInt64LittleEndian(header[0x20..]);
            var strings = Section((int)BinaryPrimitives.ReadUInt32LittleEndian(header[0x28..])); // sh_link: .dynstr
            long stringsOffset = (long)BinaryPrimitives.ReadUInt64LittleEndian(strings[0x18..]);
            var needed = new List<string>();
            for (long e = offset; e + 16 <= offset + size; e += 16)
            {
                long tag = BinaryPrimitives.ReadInt64LittleEndian(elf.AsSpan((int)e));
                if (tag == 0) break;          // DT_NULL
                if (tag != 1) continue;       // DT_NEEDED
                int name = (int)(stringsOffset + (long)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan((int)e + 8)));
                needed.Add(System.Text.Encoding.ASCII.GetString(elf, name, Array.IndexOf(elf, (byte)0, name) - name));
            }
            return needed;
        }
        return [];
    }
}
