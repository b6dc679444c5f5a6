namespace Detect.Tasks.Native.Gdal;

/// <summary>
/// A source lattice an integer factor coarser than a grid, same CRS, north-up, with the grid's pixel edges on the
/// source's: a Sentinel-2 20 m (2×) or 60 m (6×) band, or a 20 m mask, under a 10 m tile of its own UTM zone.
/// </summary>
/// <param name="Factor">Grid pixels per source pixel (2 … 6).</param>
/// <param name="StepX">Source pixels per grid pixel in x (1 / Factor).</param>
/// <param name="StepY">The same in y.</param>
/// <param name="OriginX">Source pixel coordinate of the grid's left edge.</param>
/// <param name="OriginY">Source pixel coordinate of the grid's top edge.</param>
internal readonly record struct NestedLattice(int Factor, double StepX, double StepY, double OriginX, double OriginY)
{
    private const double Tolerance = 1e-9;

    /// <summary>
    /// Source coordinate of grid column <paramref name="c"/>'s centre: one affine, as GDAL composes the two geotransforms
    /// for an unprojected warp. It is never within 1/(2·Factor) of a whole source pixel, so the containing pixel
    /// (⌊x⌋) is the same whatever the rounding of the sum.
    /// </summary>
    public double ColumnCentre(int c) => OriginX + (c + 0.5) * StepX;

    public double RowCentre(int r) => OriginY + (r + 0.5) * StepY;

    /// <summary>The lattice under <paramref name="grid"/>, or null when the source is not one (rotated, off the lattice, another CRS).</summary>
    public static NestedLattice? Of(GdalDataset source, RasterGrid grid) => Of(source.GeoTransform, source.ProjectionWkt, grid);

    /// <summary>The same for a source given by its geotransform and CRS (e.g. a window already read into memory).</summary>
    public static NestedLattice? Of(GeoTransform s, string wkt, RasterGrid grid)
    {
        var t = grid.Transform;
        if (s.RowRotation != 0 || s.ColumnRotation != 0 || t.RowRotation != 0 || t.ColumnRotation != 0) return null;
        var kx = s.PixelWidth / t.PixelWidth;
        var ky = s.PixelHeight / t.PixelHeight;
        var k = (int)Math.Round(kx);
        if (k is < 2 or > 6 || Math.Abs(kx - k) > Tolerance || Math.Abs(ky - k) > Tolerance) return null;
        var ox = (t.OriginX - s.OriginX) / s.PixelWidth;
        var oy = (t.OriginY - s.OriginY) / s.PixelHeight;
        // The grid's pixel edges on the source lattice's: the origin a whole number of grid pixels from the source's.
        if (Math.Abs(ox * k - Math.Round(ox * k)) > Tolerance || Math.Abs(oy * k - Math.Round(oy * k)) > Tolerance) return null;
        if (!AlignedWindowReader.SameCrs(wkt, grid)) return null;
        return new NestedLattice(k, t.PixelWidth / s.PixelWidth, t.PixelHeight / s.PixelHeight, ox, oy);
    }
}
