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
    public static void Into(GdalDataset source, GdalDataset destination, Resampling resampling,
        double? sourceNoData, double destinationNoData)
    {
        GdalRuntime.EnsureInitialized();
        var args = new List<string> { "-r", Name(resampling), "-dstnodata", Number(destinationNoData), "-wo", "INIT_DEST=NO_DATA" };
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
        using var target = grid.CreateDataset(1, workType);
        target.SetNoData(1, destinationNoData);
        Into(source, target, resampling, sourceNoData, destinationNoData);
        target.Read(1, 0, 0, grid.Width, grid.Height, result);
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
