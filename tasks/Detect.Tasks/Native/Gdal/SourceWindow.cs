namespace Detect.Tasks.Native.Gdal;

/// <summary>
/// The part of a source raster that a target grid needs (its footprint in source pixels, plus a margin for the
/// resampling kernel), read once into memory with one windowed read: its values can be changed before warping
/// (a radiometric offset removed exactly, on the DNs themselves), and warping the in-memory copy asks the remote
/// file nothing more (no overview or mask look-ups, each a GET and a LIST on S3).
/// </summary>
public static class SourceWindow
{
    /// <summary>
    /// Reads band 1 of <paramref name="source"/> over <paramref name="grid"/>'s footprint (+ <paramref name="margin"/>
    /// source pixels), lets <paramref name="edit"/> change the values, and returns them as an in-memory raster with the
    /// window's geotransform, the source CRS and nodata; null when the grid misses the source.
    /// </summary>
    public static GdalDataset? Read<T>(GdalDataset source, RasterGrid grid, int margin, Action<Span<T>>? edit = null) where T : unmanaged =>
        ReadValues(source, grid, margin, edit) is { } window ? ToDataset([window]) : null;

    /// <summary>
    /// The values of band 1 over the grid's footprint (+ margin), edited, with the window's lattice (geotransform, size,
    /// CRS, nodata); null when the grid misses the source. Windows of one lattice can share one warp (<see cref="ToDataset{T}"/>).
    /// </summary>
    public static Values<T>? ReadValues<T>(GdalDataset source, RasterGrid grid, int margin, Action<Span<T>>? edit = null) where T : unmanaged
    {
        if (Window(source, grid, margin) is not var (x0, y0, width, height)) return null;
        var values = new T[width * height];
        source.Read<T>(1, x0, y0, width, height, values);
        edit?.Invoke(values);
        var t = source.GeoTransform;
        var (originX, originY) = t.Apply(x0, y0);
        return new Values<T>(values, new Lattice(t with { OriginX = originX, OriginY = originY }, width, height, source.ProjectionWkt, source.GetNoData(1)));
    }

    /// <summary>Windows of one lattice as the bands (in order) of one in-memory raster with that lattice.</summary>
    public static GdalDataset ToDataset<T>(IReadOnlyList<Values<T>> windows) where T : unmanaged
    {
        var lattice = windows[0].Lattice;
        if (windows.Any(w => w.Lattice != lattice)) throw new ArgumentException("Windows of different lattices cannot share a raster.");
        var memory = GdalDataset.CreateInMemory(lattice.Width, lattice.Height, windows.Count, GdalDataTypes.Of<T>());
        memory.GeoTransform = lattice.Transform;
        memory.ProjectionWkt = lattice.Wkt;
        for (var b = 0; b < windows.Count; b++)
        {
            if (lattice.NoData is { } noData) memory.SetNoData(b + 1, noData);
            memory.WriteBand<T>(b + 1, windows[b].Data);
        }
        return memory;
    }

    /// <summary>Where a window's pixels lie: equal lattices resample identically onto a grid.</summary>
    public sealed record Lattice(GeoTransform Transform, int Width, int Height, string Wkt, double? NoData);

    /// <summary>A window's values (row-major) and its lattice.</summary>
    public sealed record Values<T>(T[] Data, Lattice Lattice) where T : unmanaged;

    /// <summary>The source pixel window (x, y, width, height) covering the grid, or null when they do not overlap.</summary>
    internal static (int X, int Y, int Width, int Height)? Window(GdalDataset source, RasterGrid grid, int margin)
    {
        var (minX, minY, maxX, maxY) = grid.Bounds;
        var xs = new double[16];
        var ys = new double[16];
        for (var i = 0; i < 4; i++)
        {
            var f = i / 3.0; // corners and points along each edge: enough for a UTM ↔ UTM or UTM ↔ lon/lat footprint
            (xs[i], ys[i]) = (minX + f * (maxX - minX), minY);
            (xs[4 + i], ys[4 + i]) = (minX + f * (maxX - minX), maxY);
            (xs[8 + i], ys[8 + i]) = (minX, minY + f * (maxY - minY));
            (xs[12 + i], ys[12 + i]) = (maxX, minY + f * (maxY - minY));
        }
        using var srs = source.SpatialReference();
        if (srs.Epsg != grid.Epsg)
        {
            using var target = SpatialReference.FromEpsg(grid.Epsg);
            using var toSource = new CoordinateTransform(target, srs);
            toSource.Transform(xs, ys);
        }
        double c0 = double.MaxValue, r0 = double.MaxValue, c1 = double.MinValue, r1 = double.MinValue;
        for (var i = 0; i < xs.Length; i++)
        {
            var (c, r) = source.GeoTransform.ToPixel(xs[i], ys[i]);
            (c0, r0, c1, r1) = (Math.Min(c0, c), Math.Min(r0, r), Math.Max(c1, c), Math.Max(r1, r));
        }
        var x0 = Math.Max(0, (int)Math.Floor(c0) - margin);
        var y0 = Math.Max(0, (int)Math.Floor(r0) - margin);
        var x1 = Math.Min(source.Width, (int)Math.Ceiling(c1) + margin);
        var y1 = Math.Min(source.Height, (int)Math.Ceiling(r1) + margin);
        return x1 <= x0 || y1 <= y0 ? null : (x0, y0, x1 - x0, y1 - y0);
    }
}
