namespace Detect.Tasks.Native.Gdal;

/// <summary>
/// GDAL's bilinear warp, written out for a UInt16 source on a <see cref="NestedLattice"/>: the six 20 m bands (2×) and
/// the two 60 m bands (6×) of every Sentinel-2 scene under a 10 m tile of its own zone. Several times faster than the
/// warper (bench/README-bali.md). At 2× it is value for value what GDAL 3.6's general bilinear kernel writes: every
/// coordinate and weight is an exact binary fraction (¼, ¾), so the sums round as GDAL's do. At 6× the weights are
/// twelfths, not binary fractions, and where the exact value is a tie (k + ½ DN) GDAL's floating-point sum and this one
/// may round to different sides: such pixels are 1 DN apart, every other pixel is equal (both checked in WarpTests
/// against exact rational arithmetic: ~1.9 % of pixels are ties, about half of them come out 1 DN apart).
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
    /// <summary>Resamples band <paramref name="band"/> of <paramref name="source"/>, or returns false when the case is not this one.</summary>
    public static bool TryResample<T>(GdalDataset source, int band, RasterGrid grid, Resampling resampling, double? sourceNoData,
        double destinationNoData, Span<T> result) where T : unmanaged
    {
        if (typeof(T) != typeof(ushort) || resampling != Resampling.Bilinear || source.DataType(band) != GdalDataType.UInt16) return false;
        if (sourceNoData is null && source.GetNoData(band) is not null) return false; // GDAL would take the band's own nodata
        if (NestedLattice.Of(source, grid) is not { } lattice) return false;
        var values = source.ReadBand<ushort>(band);
        var noData = sourceNoData is { } nd && nd is >= 0 and <= ushort.MaxValue && nd == Math.Floor(nd) ? (int)nd : -1;
        var output = System.Runtime.InteropServices.MemoryMarshal.Cast<T, ushort>(result);
        Resample(values, source.Width, source.Height, noData, lattice, (ushort)destinationNoData, output[..grid.PixelCount], grid.Width, grid.Height);
        return true;
    }

    private static void Resample(ushort[] src, int width, int height, int noData, NestedLattice lattice,
        ushort fill, Span<ushort> dst, int dstWidth, int dstHeight)
    {
        // Per column: the containing source column, the left neighbour and its weight (the same for every row).
        var containing = new int[dstWidth];
        var left = new int[dstWidth];
        var weight = new double[dstWidth];
        for (var c = 0; c < dstWidth; c++)
        {
            var sx = lattice.ColumnCentre(c);
            containing[c] = (int)Math.Floor(sx);
            left[c] = (int)Math.Floor(sx - 0.5);
            weight[c] = 1.5 - (sx - left[c]);
        }
        for (var r = 0; r < dstHeight; r++)
        {
            var sy = lattice.RowCentre(r);
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
