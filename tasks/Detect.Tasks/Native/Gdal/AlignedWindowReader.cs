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
        if (Offset(source.GeoTransform, grid) is not var (offsetX, offsetY) || !SameCrs(source.ProjectionWkt, grid)) return false;
        var fill = Convert<T>(destinationNoData);
        result[..grid.PixelCount].Fill(fill);
        if (Overlap(source.Width, source.Height, offsetX, offsetY, grid) is not var (x0, y0, x1, y1)) return true;
        var width = x1 - x0;
        var rows = new T[width * (y1 - y0)];
        source.Read<T>(band, x0 + offsetX, y0 + offsetY, width, y1 - y0, rows);
        Place<T>(rows, width, 0, 0, x0, y0, x1, y1, grid, sourceNoData, destinationNoData, result);
        return true;
    }

    /// <summary>
    /// The same for a window already in memory (<paramref name="values"/>, <paramref name="width"/> × <paramref name="height"/>,
    /// with geotransform <paramref name="transform"/> and CRS <paramref name="wkt"/>): no dataset, no copy but the one onto the grid.
    /// </summary>
    internal static bool TryCopy<T>(ReadOnlySpan<T> values, int width, int height, GeoTransform transform, string wkt, RasterGrid grid,
        double? sourceNoData, double destinationNoData, Span<T> result) where T : unmanaged
    {
        if (Offset(transform, grid) is not var (offsetX, offsetY) || !SameCrs(wkt, grid)) return false;
        var fill = Convert<T>(destinationNoData);
        result[..grid.PixelCount].Fill(fill);
        if (Overlap(width, height, offsetX, offsetY, grid) is not var (x0, y0, x1, y1)) return true;
        Place(values, width, x0 + offsetX, y0 + offsetY, x0, y0, x1, y1, grid, sourceNoData, destinationNoData, result);
        return true;
    }

    /// <summary>Where the grid's origin lies in whole source pixels, or null when the source is not on the grid's lattice.</summary>
    private static (int X, int Y)? Offset(GeoTransform s, RasterGrid grid)
    {
        var t = grid.Transform;
        if (s.RowRotation != 0 || s.ColumnRotation != 0 || t.RowRotation != 0 || t.ColumnRotation != 0) return null;
        if (Math.Abs(s.PixelWidth - t.PixelWidth) > Tolerance || Math.Abs(s.PixelHeight - t.PixelHeight) > Tolerance) return null;
        var dx = (t.OriginX - s.OriginX) / s.PixelWidth;
        var dy = (t.OriginY - s.OriginY) / s.PixelHeight;
        if (Math.Abs(dx - Math.Round(dx)) > Tolerance || Math.Abs(dy - Math.Round(dy)) > Tolerance) return null;
        return ((int)Math.Round(dx), (int)Math.Round(dy));
    }

    /// <summary>The overlap of the grid with a source of that size, in grid pixel coordinates; null when they miss.</summary>
    private static (int X0, int Y0, int X1, int Y1)? Overlap(int width, int height, int offsetX, int offsetY, RasterGrid grid)
    {
        var x0 = Math.Max(0, -offsetX);
        var y0 = Math.Max(0, -offsetY);
        var x1 = Math.Min(grid.Width, width - offsetX);
        var y1 = Math.Min(grid.Height, height - offsetY);
        return x1 <= x0 || y1 <= y0 ? null : (x0, y0, x1, y1);
    }

    /// <summary>
    /// Copies the overlap (grid pixels x0 … x1, y0 … y1) out of <paramref name="rows"/> (<paramref name="rowsWidth"/> wide),
    /// where grid pixel (x0, y0) is at (<paramref name="firstX"/>, <paramref name="firstY"/>), turning source nodata
    /// into the grid's.
    /// </summary>
    private static void Place<T>(ReadOnlySpan<T> rows, int rowsWidth, int firstX, int firstY, int x0, int y0, int x1, int y1,
        RasterGrid grid, double? sourceNoData, double destinationNoData, Span<T> result) where T : unmanaged
    {
        var fill = Convert<T>(destinationNoData);
        var remap = sourceNoData is { } sn && sn != destinationNoData;
        var sourceFill = remap ? Convert<T>(sourceNoData!.Value) : fill;
        var width = x1 - x0;
        for (var r = y0; r < y1; r++)
        {
            var row = rows.Slice((firstY + r - y0) * rowsWidth + firstX, width);
            var target = result.Slice(r * grid.Width + x0, width);
            row.CopyTo(target);
            if (remap)
                for (var i = 0; i < target.Length; i++)
                    if (EqualityComparer<T>.Default.Equals(target[i], sourceFill)) target[i] = fill;
        }
    }

    /// <summary>Whether a source CRS is the grid's (the answer per CRS text and EPSG code is kept: parsing WKT costs ~0.1 ms).</summary>
    internal static bool SameCrs(string? wkt, RasterGrid grid)
    {
        if (string.IsNullOrWhiteSpace(wkt)) return false;
        if (wkt == grid.Wkt) return true;
        return SameCrsCache.GetOrAdd((wkt, grid.Epsg), static key =>
        {
            using var a = SpatialReference.FromUserInput(key.Wkt);
            using var b = SpatialReference.FromEpsg(key.Epsg);
            return a.IsSame(b);
        });
    }

    // A process meets a handful of CRSs (one or two UTM zones per region), so the cache stays small.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Wkt, int Epsg), bool> SameCrsCache = new();

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
