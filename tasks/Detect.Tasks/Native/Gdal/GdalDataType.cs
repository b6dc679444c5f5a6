namespace Detect.Tasks.Native.Gdal;

/// <summary>GDAL pixel types (values of the C enum GDALDataType).</summary>
public enum GdalDataType
{
    Unknown = 0, Byte = 1, UInt16 = 2, Int16 = 3, UInt32 = 4, Int32 = 5, Float32 = 6, Float64 = 7,
}

internal static class GdalDataTypes
{
    internal static GdalDataType Of<T>() where T : unmanaged
    {
        if (typeof(T) == typeof(byte)) return GdalDataType.Byte;
        if (typeof(T) == typeof(ushort)) return GdalDataType.UInt16;
        if (typeof(T) == typeof(short)) return GdalDataType.Int16;
        if (typeof(T) == typeof(uint)) return GdalDataType.UInt32;
        if (typeof(T) == typeof(int)) return GdalDataType.Int32;
        if (typeof(T) == typeof(float)) return GdalDataType.Float32;
        if (typeof(T) == typeof(double)) return GdalDataType.Float64;
        throw new NotSupportedException($"No GDAL pixel type for {typeof(T).Name}.");
    }
}
