namespace Detect.Tasks.Native.Gdal;

/// <summary>
/// GDAL's bilinear warp, written out for the case the six 20 m bands of every Sentinel-2 scene in the tile's own zone
/// are: a UInt16 source on a lattice 2× coarser than the grid, same CRS, north-up, the grid's pixel edges on the source's
/// half-pixels. About 5× faster than the warper (bench/README-bali.md), and value for value what GDAL 3.6's general
/// bilinear kernel writes, checked against it in WarpTests (nodata holes, scene edges, large eastings). Only 2×: every
/// coordinate and weight is then an exact binary fraction (¼, ¾), so the sums round as GDAL's do; at 6× (60 m) they are
/// not, and some pixels come out 1 DN from GDAL's rounding (measured in WarpTests), so 60 m bands stay with the warper.
/// </summary>
/// <remarks>
/// For a grid pixel centre at source pixel coordinate (sx, sy): nodata when the source pixel containing it is outside or
/// nodata (GDAL skips such pixels); else the four neighbours around it, ix = ⌊sx − ½⌋, weights rx = 1.5 − (sx − ix) and
/// 1 − rx (the same per row), outside or nodata neighbours left out and the weights renormalised (none left: nodata),
/// then rounded half up and clamped as GDAL stores a UInt16. Source coordinates are (grid origin − source origin) /
/// source pixel + (c + ½) · grid pixel / source pixel, one affine as GDAL composes them for an unprojected warp.
/// </remarks>
internal static class LatticeBilinear
{
    private const double Tolerance = 1e-9;

    /// <summary>Resamples band <paramref name="band"/> of <paramref name="source"/>, or returns false when the case is not this one.</summary>
    public static bool TryResample<T>(GdalDataset source, int band, RasterGrid grid, Resampling resampling, double? sourceNoData,
        double destinationNoData, Span<T> result) where T : unmanaged
    {
        if (typeof(T) != typeof(ushort) || resampling != Resampling.Bilinear || source.DataType(band) != GdalDataType.UInt16) return false;
        if (sourceNoData is null && source.GetNoData(band) is not null) return false; // GDAL would take the band's own nodata
        if (Factor(source, grid) is not var (fx, fy, ox, oy)) return false;
        var values = source.ReadBand<ushort>(band);
        var noData = sourceNoData is { } nd && nd is >= 0 and <= ushort.MaxValue && nd == Math.Floor(nd) ? (int)nd : -1;
        var output = System.Runtime.InteropServices.MemoryMarshal.Cast<T, ushort>(result);
        Resample(values, source.Width, source.Height, noData, fx, fy, ox, oy, (ushort)destinationNoData, output[..grid.PixelCount], grid.Width, grid.Height);
        return true;
    }

    /// <summary>(grid px / source px in x and y, source coordinate of the grid's origin) when the lattices nest, else null.</summary>
    private static (double Fx, double Fy, double Ox, double Oy)? Factor(GdalDataset source, RasterGrid grid)
    {
        var s = source.GeoTransform;
        var t = grid.Transform;
        if (s.RowRotation != 0 || s.ColumnRotation != 0 || t.RowRotation != 0 || t.ColumnRotation != 0) return null;
        var kx = s.PixelWidth / t.PixelWidth;
        var ky = s.PixelHeight / t.PixelHeight;
        if (Math.Abs(kx - 2) > Tolerance || Math.Abs(ky - 2) > Tolerance) return null;
        var ox = (t.OriginX - s.OriginX) / s.PixelWidth;
        var oy = (t.OriginY - s.OriginY) / s.PixelHeight;
        // The grid's pixel edges on the source lattice's: the origin a whole number of grid pixels from the source's.
        if (Math.Abs(ox * kx - Math.Round(ox * kx)) > Tolerance || Math.Abs(oy * kx - Math.Round(oy * kx)) > Tolerance) return null;
        var wkt = source.ProjectionWkt;
        if (string.IsNullOrWhiteSpace(wkt)) return null;
        if (wkt != grid.Wkt)
        {
            using var a = SpatialReference.FromUserInput(wkt);
            using var b = SpatialReference.FromEpsg(grid.Epsg);
            if (!a.IsSame(b)) return null;
        }
        return (t.PixelWidth / s.PixelWidth, t.PixelHeight / s.PixelHeight, ox, oy);
    }

    private static void Resample(ushort[] src, int width, int height, int noData, double fx, double fy, double ox, double oy,
        ushort fill, Span<ushort> dst, int dstWidth, int dstHeight)
    {
        // Per column: the containing source column, the left neighbour and its weight (the same for every row).
        var containing = new int[dstWidth];
        var left = new int[dstWidth];
        var weight = new double[dstWidth];
        for (var c = 0; c < dstWidth; c++)
        {
            var sx = ox + (c + 0.5) * fx;
            containing[c] = (int)Math.Floor(sx);
            left[c] = (int)Math.Floor(sx - 0.5);
            weight[c] = 1.5 - (sx - left[c]);
        }
        for (var r = 0; r < dstHeight; r++)
        {
            var sy = oy + (r + 0.5) * fy;
            var row = (int)Math.Floor(sy);
            var top = (int)Math.Floor(sy - 0.5);
            var ry = 1.5 - (sy - top);
            var target = dst.Slice(r * dstWidth, dstWidth);
            if (row < 0 || row >= height) { target.Fill(fill); continue; }
            for (var c = 0; c < dstWidth; c++)
            {
                var col = containing[c];
                if (col < 0 || col >= width || src[row * width + col] == noData) { target[c] = fill; continue; }
                var ix = left[c];
                var rx = weight[c];
                double sum = 0, divisor = 0;
                Add(src, width, height, noData, ix, top, rx * ry, ref sum, ref divisor);
                Add(src, width, height, noData, ix + 1, top, (1 - rx) * ry, ref sum, ref divisor);
                Add(src, width, height, noData, ix + 1, top + 1, (1 - rx) * (1 - ry), ref sum, ref divisor);
                Add(src, width, height, noData, ix, top + 1, rx * (1 - ry), ref sum, ref divisor);
                if (divisor < 0.00001) { target[c] = fill; continue; }
                var value = divisor == 1.0 ? sum : sum / divisor;
                target[c] = value < 0 ? (ushort)0 : value > ushort.MaxValue ? ushort.MaxValue : (ushort)(value + 0.5);
            }
        }
    }

    private static void Add(ushort[] src, int width, int height, int noData, int x, int y, double weight, ref double sum, ref double divisor)
    {
        if (x < 0 || x >= width || y < 0 || y >= height) return;
        var v = src[y * width + x];
        if (v == noData) return;
        sum += v * weight;
        divisor += weight;
    }
}
