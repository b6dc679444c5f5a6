namespace Detect.Tasks.Native.Gdal;

/// <summary>
/// GDAL's nearest-neighbour warp, written out for a source on a <see cref="NestedLattice"/> (the 20 m cloud or SCL mask
/// of every scene under a 10 m tile of its zone): each grid pixel takes the source pixel its centre lies in, or the
/// destination nodata where that pixel is outside the source or nodata (GDAL skips nodata sources and leaves the
/// initialised nodata). Exact at every integer factor — a centre is never near a source pixel edge, so no rounding
/// decides anything — and checked against the warper in WarpTests.
/// </summary>
internal static class LatticeNearest
{
    /// <summary>Resamples band <paramref name="band"/> of <paramref name="source"/>, or returns false when the case is not this one.</summary>
    public static bool TryResample<T>(GdalDataset source, int band, RasterGrid grid, Resampling resampling, double? sourceNoData,
        double destinationNoData, Span<T> result) where T : unmanaged, IEquatable<T>
    {
        if (resampling != Resampling.Nearest || source.DataType(band) != GdalDataTypes.Of<T>()) return false;
        if (sourceNoData is null && source.GetNoData(band) is not null) return false; // GDAL would take the band's own nodata
        if (NestedLattice.Of(source, grid) is not { } lattice) return false;
        var values = source.ReadBand<T>(band);
        var fill = AlignedWindowReader.Convert<T>(destinationNoData);
        // A nodata value the type cannot hold (e.g. -1 for bytes) matches no pixel.
        var noDataValue = sourceNoData is { } nd ? AlignedWindowReader.Convert<T>(nd) : default;
        var hasNoData = sourceNoData is { } given && Convert.ToDouble(noDataValue, System.Globalization.CultureInfo.InvariantCulture) == given;
        var (width, height) = (source.Width, source.Height);
        var columns = new int[grid.Width];
        for (var c = 0; c < grid.Width; c++) columns[c] = (int)Math.Floor(lattice.ColumnCentre(c));
        for (var r = 0; r < grid.Height; r++)
        {
            var target = result.Slice(r * grid.Width, grid.Width);
            var row = (int)Math.Floor(lattice.RowCentre(r));
            if (row < 0 || row >= height) { target.Fill(fill); continue; }
            var sourceRow = values.AsSpan(row * width, width);
            for (var c = 0; c < grid.Width; c++)
            {
                var col = columns[c];
                if (col < 0 || col >= width) { target[c] = fill; continue; }
                var v = sourceRow[col];
                target[c] = hasNoData && v.Equals(noDataValue) ? fill : v;
            }
        }
        return true;
    }
}
