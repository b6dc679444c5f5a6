using System.Globalization;

namespace Detect.Tasks.Native.Gdal;

public enum Resampling { Nearest, Bilinear, Cubic, Average }

/// <summary>Resamples rasters onto a target grid with GDAL's warper (the library form of gdalwarp).</summary>
public static unsafe class GdalWarp
{
    /// <summary>
    /// Warps <paramref name="source"/> (all its bands) into the existing <paramref name="destination"/>, whose
    /// CRS and geotransform define the grid. Destination pixels no source pixel reaches are set to
    /// <paramref name="destinationNoData"/>; source pixels equal to <paramref name="sourceNoData"/> are ignored
    /// (and, with bilinear, excluded from the interpolation weights).
    /// </summary>
    /// <param name="unifiedNoData">
    /// UNIFIED_SRC_NODATA=YES: one validity mask for all bands (a pixel is nodata where every band is). Bands that share
    /// their nodata pixels then come out exactly as each alone: the mask is each band's own, and GDAL's kernel is the one
    /// it uses for a single band (which, e.g., leaves nodata a target pixel whose containing source pixel is nodata).
    /// </param>
    public static void Into(GdalDataset source, GdalDataset destination, Resampling resampling,
        double? sourceNoData, double destinationNoData, bool unifiedNoData = false)
    {
        GdalRuntime.EnsureInitialized();
        var args = new List<string> { "-r", Name(resampling), "-dstnodata", Number(destinationNoData), "-wo", "INIT_DEST=NO_DATA" };
        if (unifiedNoData) args.AddRange(["-wo", "UNIFIED_SRC_NODATA=YES"]);
        if (sourceNoData is { } s) args.AddRange(["-srcnodata", Number(s)]);
        GdalNative.CPLErrorReset();
        using var argv = new NativeStringList(args);
        var options = GdalNative.GDALWarpAppOptionsNew(argv.Pointer, IntPtr.Zero);
        if (options == IntPtr.Zero) throw GdalRuntime.Failure("Preparing warp options for", source.Path);
        try
        {
            var sources = stackalloc IntPtr[1];
            sources[0] = source.Handle;
            int usageError = 0;
            var result = GdalNative.GDALWarp(null, destination.Handle, 1, sources, options, &usageError);
            if (result == IntPtr.Zero) throw GdalRuntime.Failure("Warping", source.Path);
        }
        finally
        {
            GdalNative.GDALWarpAppOptionsFree(options);
        }
    }

    /// <summary>
    /// Warps one band of a raster onto <paramref name="grid"/> and returns the pixels (row-major). A source
    /// already on the grid's lattice (same CRS and pixel size, origin a whole number of pixels away — a 10 m
    /// Sentinel-2 band read onto a 10 m tile of its own zone) is copied directly: resampling would be the identity.
    /// </summary>
    public static void BandToGrid<T>(GdalDataset source, RasterGrid grid, Resampling resampling,
        double? sourceNoData, double destinationNoData, GdalDataType workType, Span<T> result) where T : unmanaged
    {
        if (source.BandCount != 1)
            throw new GdalException($"Raster '{source.Path}' has {source.BandCount} bands; one band per asset is expected.", source.Path);
        if (AlignedWindowReader.TryRead(source, grid, sourceNoData, destinationNoData, result)) return;
        if (LatticeBilinear.TryResample(source, 1, grid, resampling, sourceNoData, destinationNoData, result)) return;
        if (typeof(T) == typeof(byte) && LatticeNearest.TryResample(source, 1, grid, resampling, sourceNoData, destinationNoData,
                System.Runtime.InteropServices.MemoryMarshal.Cast<T, byte>(result))) return;
        WarpBand(source, grid, resampling, sourceNoData, destinationNoData, workType, result);
    }

    /// <summary>
    /// A UInt16 window read into memory (<see cref="SourceWindow.ReadValues{T}"/>) onto the grid without building a dataset,
    /// when it lies on the grid's lattice (copied) or a nested one (bilinear: <see cref="LatticeBilinear"/>), exactly as
    /// <see cref="BandToGrid{T}"/> would make it from the window as a dataset; false otherwise (then warp it).
    /// </summary>
    public static bool TryWindowToGrid(SourceWindow.Values<ushort> window, RasterGrid grid, Resampling resampling,
        double sourceNoData, double destinationNoData, Span<ushort> result)
    {
        var lattice = window.Lattice;
        return AlignedWindowReader.TryCopy<ushort>(window.Data, lattice.Width, lattice.Height, lattice.Transform, lattice.Wkt, grid,
                   sourceNoData, destinationNoData, result)
               || LatticeBilinear.TryResample(window, grid, resampling, sourceNoData, destinationNoData, result);
    }

    /// <summary>One band through GDAL's warper, always (the reference the shortcuts above are checked against).</summary>
    public static void WarpBand<T>(GdalDataset source, RasterGrid grid, Resampling resampling,
        double? sourceNoData, double destinationNoData, GdalDataType workType, Span<T> result) where T : unmanaged
    {
        using var target = grid.CreateDataset(1, workType);
        target.SetNoData(1, destinationNoData);
        Into(source, target, resampling, sourceNoData, destinationNoData);
        target.Read(1, 0, 0, grid.Width, grid.Height, result);
    }

    /// <summary>
    /// Every band of <paramref name="source"/> onto <paramref name="grid"/>, band after band into <paramref name="result"/>
    /// (band-major, bands × grid pixels), each exactly as <see cref="BandToGrid{T}"/> would make it alone: with one warp
    /// (one transformer, one pass over the grid) when the bands share their nodata pixels, else band by band (GDAL's
    /// multi-band kernel treats a pixel that is nodata in some bands only differently). A source on the grid's lattice
    /// is copied band by band.
    /// </summary>
    public static void BandsToGrid<T>(GdalDataset source, RasterGrid grid, Resampling resampling,
        double? sourceNoData, double destinationNoData, GdalDataType workType, Span<T> result) where T : unmanaged
    {
        var n = grid.PixelCount;
        var bands = source.BandCount;
        if (result.Length < bands * n) throw new ArgumentException($"A buffer of {result.Length} values cannot hold {bands} bands of {n} pixels.");
        if (bands == 1)
        {
            BandToGrid(source, grid, resampling, sourceNoData, destinationNoData, workType, result);
            return;
        }
        if (AlignedWindowReader.TryReadBands(source, grid, sourceNoData, destinationNoData, result)) return;
        if (LatticeBilinear.TryResample(source, 1, grid, resampling, sourceNoData, destinationNoData, result[..n]))
        {
            for (var b = 2; b <= bands; b++)
                LatticeBilinear.TryResample(source, b, grid, resampling, sourceNoData, destinationNoData, result.Slice((b - 1) * n, n));
            return;
        }
        if (!SameNoDataPixels<T>(source, sourceNoData))
        {
            for (var b = 0; b < bands; b++)
            {
                using var alone = SingleBand<T>(source, b + 1);
                BandToGrid(alone, grid, resampling, sourceNoData, destinationNoData, workType, result.Slice(b * n, n));
            }
            return;
        }
        using var target = grid.CreateDataset(bands, workType);
        for (var b = 1; b <= bands; b++) target.SetNoData(b, destinationNoData);
        Into(source, target, resampling, sourceNoData, destinationNoData, unifiedNoData: true);
        for (var b = 0; b < bands; b++) target.Read(b + 1, 0, 0, grid.Width, grid.Height, result.Slice(b * n, n));
    }

    private static bool SameNoDataPixels<T>(GdalDataset source, double? noData) where T : unmanaged
    {
        if (noData is null) return true;
        var value = AlignedWindowReader.Convert<T>(noData.Value);
        var first = source.ReadBand<T>(1);
        for (var b = 2; b <= source.BandCount; b++)
        {
            var other = source.ReadBand<T>(b);
            for (var i = 0; i < first.Length; i++)
                if (EqualityComparer<T>.Default.Equals(first[i], value) != EqualityComparer<T>.Default.Equals(other[i], value)) return false;
        }
        return true;
    }

    private static GdalDataset SingleBand<T>(GdalDataset source, int band) where T : unmanaged
    {
        var alone = GdalDataset.CreateInMemory(source.Width, source.Height, 1, source.DataType(band));
        alone.GeoTransform = source.GeoTransform;
        alone.ProjectionWkt = source.ProjectionWkt;
        if (source.GetNoData(band) is { } noData) alone.SetNoData(1, noData);
        alone.WriteBand<T>(1, source.ReadBand<T>(band));
        return alone;
    }

    private static string Name(Resampling r) => r switch
    {
        Resampling.Nearest => "near",
        Resampling.Bilinear => "bilinear",
        Resampling.Cubic => "cubic",
        Resampling.Average => "average",
        _ => throw new ArgumentOutOfRangeException(nameof(r)),
    };

    private static string Number(double v) =>
        double.IsNaN(v) ? "nan" : v.ToString("R", CultureInfo.InvariantCulture);
}
