namespace Detect.Tasks.Native.Gdal;

/// <summary>Reads a source that lies on the target grid's lattice with a plain window read (no warper).</summary>
internal static class AlignedWindowReader
{
    private const double Tolerance = 1e-6;

    /// <summary>Every band of the source, band-major into <paramref name="result"/>, when the source is on the lattice.</summary>
    internal static bool TryReadBands<T>(GdalDataset source, RasterGrid grid, double? sourceNoData, double destinationNoData,
        Span<T> result) where T : unmanaged
    {
        for (var b = 1; b <= source.BandCount; b++)
            if (!TryRead(source, grid, sourceNoData, destinationNoData, result.Slice((b - 1) * grid.PixelCount, grid.PixelCount), b)) return false;
        return true;
    }

    internal static bool TryRead<T>(GdalDataset source, RasterGrid grid, double? sourceNoData, double destinationNoData,
        Span<T> result, int band = 1) where T : unmanaged
    {
        var s = source.GeoTransform;
        var t = grid.Transform;
        if (s.RowRotation != 0 || s.ColumnRotation != 0 || t.RowRotation != 0 || t.ColumnRotation != 0) return false;
        if (Math.Abs(s.PixelWidth - t.PixelWidth) > Tolerance || Math.Abs(s.PixelHeight - t.PixelHeight) > Tolerance) return false;
        var dx = (t.OriginX - s.OriginX) / s.PixelWidth;
        var dy = (t.OriginY - s.OriginY) / s.PixelHeight;
        if (Math.Abs(dx - Math.Round(dx)) > Tolerance || Math.Abs(dy - Math.Round(dy)) > Tolerance) return false;
        if (!SameCrs(source, grid)) return false;

        var offsetX = (int)Math.Round(dx);
        var offsetY = (int)Math.Round(dy);
        var fill = Convert<T>(destinationNoData);
        result[..grid.PixelCount].Fill(fill);
        // Overlap of the grid with the source, in grid pixel coordinates.
        var x0 = Math.Max(0, -offsetX);
        var y0 = Math.Max(0, -offsetY);
        var x1 = Math.Min(grid.Width, source.Width - offsetX);
        var y1 = Math.Min(grid.Height, source.Height - offsetY);
        if (x1 <= x0 || y1 <= y0) return true;
        var width = x1 - x0;
        var rows = new T[width * (y1 - y0)];
        source.Read<T>(band, x0 + offsetX, y0 + offsetY, width, y1 - y0, rows);
        var remap = sourceNoData is { } sn && sn != destinationNoData;
        var sourceFill = remap ? Convert<T>(sourceNoData!.Value) : fill;
        for (var r = y0; r < y1; r++)
        {
            var row = rows.AsSpan((r - y0) * width, width);
            var target = result.Slice(r * grid.Width + x0, width);
            row.CopyTo(target);
            if (remap)
                for (var i = 0; i < target.Length; i++)
                    if (EqualityComparer<T>.Default.Equals(target[i], sourceFill)) target[i] = fill;
        }
        return true;
    }

    internal static bool SameCrs(GdalDataset source, RasterGrid grid)
    {
        var wkt = source.ProjectionWkt;
        if (string.IsNullOrWhiteSpace(wkt)) return false;
        if (wkt == grid.Wkt) return true;
        using var a = SpatialReference.FromUserInput(wkt);
        using var b = SpatialReference.FromEpsg(grid.Epsg);
        return a.IsSame(b);
    }

    internal static T Convert<T>(double value) where T : unmanaged
    {
        if (typeof(T) == typeof(byte)) return (T)(object)(byte)value;
        if (typeof(T) == typeof(ushort)) return (T)(object)(ushort)value;
        if (typeof(T) == typeof(short)) return (T)(object)(short)value;
        if (typeof(T) == typeof(uint)) return (T)(object)(uint)value;
        if (typeof(T) == typeof(int)) return (T)(object)(int)value;
        if (typeof(T) == typeof(float)) return (T)(object)(float)value;
        if (typeof(T) == typeof(double)) return (T)(object)value;
        throw new NotSupportedException(typeof(T).Name);
    }
}
