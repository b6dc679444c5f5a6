using System.Runtime.InteropServices;

namespace Detect.Tasks.Native.Gdal;

/// <summary>A NULL-terminated array of UTF-8 strings (GDAL's <c>char**</c> "CSL"), freed on dispose.</summary>
internal sealed class NativeStringList : IDisposable
{
    private readonly IntPtr[] _strings;
    private IntPtr _array;

    internal NativeStringList(IEnumerable<string> items)
    {
        _strings = items.Select(Marshal.StringToCoTaskMemUTF8).ToArray();
        _array = Marshal.AllocCoTaskMem(IntPtr.Size * (_strings.Length + 1));
        for (var i = 0; i < _strings.Length; i++) Marshal.WriteIntPtr(_array, i * IntPtr.Size, _strings[i]);
        Marshal.WriteIntPtr(_array, _strings.Length * IntPtr.Size, IntPtr.Zero);
    }

    internal IntPtr Pointer => _array;

    public void Dispose()
    {
        if (_array == IntPtr.Zero) return;
        foreach (var s in _strings) Marshal.FreeCoTaskMem(s);
        Marshal.FreeCoTaskMem(_array);
        _array = IntPtr.Zero;
    }
}
