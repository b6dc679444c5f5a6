namespace Detect.Tasks.Native.Gdal;

/// <summary>
/// An open GDAL raster dataset. Not thread-safe (as GDAL datasets are not): use one instance per thread.
/// Band numbers are 1-based, as in GDAL.
/// </summary>
public sealed unsafe class GdalDataset : IDisposable
{
    internal IntPtr Handle { get; private set; }

    /// <summary>The path the dataset was opened or created with (a local path or a /vsi path).</summary>
    public string Path { get; }

    private GdalDataset(IntPtr handle, string path)
    {
        Handle = handle;
        Path = path;
    }

    /// <summary>Opens a raster: a local path, <c>/vsis3/bucket/key</c>, <c>/vsicurl/https://…</c> (see <see cref="GdalPaths"/>).</summary>
    public static GdalDataset Open(string path, bool update = false)
    {
        GdalRuntime.EnsureInitialized();
        GdalNative.CPLErrorReset();
        var flags = GdalNative.GDAL_OF_RASTER | GdalNative.GDAL_OF_VERBOSE_ERROR |
                    (update ? GdalNative.GDAL_OF_UPDATE : GdalNative.GDAL_OF_READONLY);
        // Remote rasters open with a sibling list that holds only the file itself: GDAL then probes no side-car files
        // (.aux.xml, .ovr, .msk, .IMD, .RPB, _RPC.TXT …), each a GET and often a LIST on S3 — requests that cost money
        // on requester-pays buckets and find nothing here. (An empty list would not do: GDAL copies it with
        // CSLDuplicate, which turns an empty list into "no list", and then stats every candidate.)
        using var noSiblings = new NativeStringList([System.IO.Path.GetFileName(path)]);
        var siblings = path.StartsWith("/vsis3/", StringComparison.Ordinal) || path.StartsWith("/vsicurl/", StringComparison.Ordinal)
            ? noSiblings.Pointer : IntPtr.Zero;
        var handle = GdalErrorCapture.Run(() => GdalNative.GDALOpenEx(path, flags, IntPtr.Zero, IntPtr.Zero, siblings), out var errors);
        if (handle == IntPtr.Zero)
        {
            // The remote answer (S3 error code, HTTP status) comes first; GDAL's generic "cannot open" last.
            var details = errors.Where(e => e.Class >= GdalNative.CE_Warning && e.Message.Length > 0).Select(e => e.Message).Distinct().ToList();
            var detail = details.Count > 0 ? string.Join("; ", details) : GdalRuntime.LastError();
            GdalNative.CPLErrorReset();
            throw new GdalException($"Opening raster '{path}' failed: {detail}", path, GdalErrorCapture.Classify(errors));
        }
        return new GdalDataset(handle, path);
    }

    /// <summary>A raster held in memory (GDAL's MEM driver), e.g. a warp destination or the source of a COG.</summary>
    public static GdalDataset CreateInMemory(int width, int height, int bands, GdalDataType type) =>
        Create("MEM", "", width, height, bands, type, []);

    /// <summary>Creates a raster with a driver that supports Create (GTiff, MEM, …).</summary>
    public static GdalDataset Create(string driverName, string path, int width, int height, int bands, GdalDataType type,
        IEnumerable<string> creationOptions)
    {
        GdalRuntime.EnsureInitialized();
        if (width <= 0 || height <= 0 || bands <= 0)
            throw new ArgumentException($"Cannot create a {width}x{height} raster with {bands} band(s) at '{path}'.");
        GdalNative.CPLErrorReset();
        var driver = GdalDriver(driverName);
        using var options = new NativeStringList(creationOptions);
        var handle = GdalNative.GDALCreate(driver, path, width, height, bands, (int)type, options.Pointer);
        if (handle == IntPtr.Zero) throw GdalRuntime.Failure($"Creating a {driverName} raster", path);
        return new GdalDataset(handle, path);
    }

    /// <summary>Copies this dataset to a new file with a driver's CreateCopy (e.g. "COG", "GTiff").</summary>
    public void CopyTo(string driverName, string path, IEnumerable<string> creationOptions)
    {
        GdalNative.CPLErrorReset();
        var driver = GdalDriver(driverName);
        using var options = new NativeStringList(creationOptions);
        var copy = GdalNative.GDALCreateCopy(driver, path, Handle, 0, options.Pointer, IntPtr.Zero, IntPtr.Zero);
        if (copy == IntPtr.Zero) throw GdalRuntime.Failure($"Writing {driverName}", path);
        GdalNative.GDALClose(copy);
    }

    public int Width => GdalNative.GDALGetRasterXSize(Handle);
    public int Height => GdalNative.GDALGetRasterYSize(Handle);
    public int BandCount => GdalNative.GDALGetRasterCount(Handle);

    public GeoTransform GeoTransform
    {
        get
        {
            var gt = stackalloc double[6];
            if (GdalNative.GDALGetGeoTransform(Handle, gt) >= GdalNative.CE_Failure)
                throw new GdalException($"Raster '{Path}' has no geotransform: it is not georeferenced.", Path);
            return GeoTransform.FromArray(new ReadOnlySpan<double>(gt, 6));
        }
        set
        {
            var gt = value.ToArray();
            fixed (double* p = gt) GdalRuntime.Check(GdalNative.GDALSetGeoTransform(Handle, p), "Setting the geotransform of", Path);
        }
    }

    /// <summary>The CRS as WKT ("" when the raster has none).</summary>
    public string ProjectionWkt
    {
        get => GdalNative.Utf8(GdalNative.GDALGetProjectionRef(Handle)) ?? "";
        set => GdalRuntime.Check(GdalNative.GDALSetProjection(Handle, value), "Setting the projection of", Path);
    }

    /// <summary>The raster's CRS; throws naming the file when it has none.</summary>
    public SpatialReference SpatialReference()
    {
        var wkt = ProjectionWkt;
        if (string.IsNullOrWhiteSpace(wkt))
            throw new GdalException($"Raster '{Path}' has no coordinate reference system.", Path);
        return Native.Gdal.SpatialReference.FromUserInput(wkt);
    }

    public GdalDataType DataType(int band) => (GdalDataType)GdalNative.GDALGetRasterDataType(Band(band));

    public double? GetNoData(int band)
    {
        int has;
        var value = GdalNative.GDALGetRasterNoDataValue(Band(band), &has);
        return has != 0 ? value : null;
    }

    public void SetNoData(int band, double value) =>
        GdalRuntime.Check(GdalNative.GDALSetRasterNoDataValue(Band(band), value), $"Setting nodata of band {band} of", Path);

    public string GetBandDescription(int band) => GdalNative.Utf8(GdalNative.GDALGetDescription(Band(band))) ?? "";

    public void SetBandDescription(int band, string description) => GdalNative.GDALSetDescription(Band(band), description);

    /// <summary>Reads a window of a band into <paramref name="buffer"/> (row-major, width × height), converting to T.</summary>
    public void Read<T>(int band, int x, int y, int width, int height, Span<T> buffer) where T : unmanaged =>
        RasterIo(GdalNative.GF_Read, band, x, y, width, height, buffer);

    /// <summary>Reads a whole band.</summary>
    public T[] ReadBand<T>(int band) where T : unmanaged
    {
        var data = new T[checked(Width * Height)];
        Read<T>(band, 0, 0, Width, Height, data);
        return data;
    }

    /// <summary>Writes a window of a band from <paramref name="buffer"/> (row-major, width × height).</summary>
    public void Write<T>(int band, int x, int y, int width, int height, ReadOnlySpan<T> buffer) where T : unmanaged
    {
        fixed (T* p = buffer) RasterIoCore(GdalNative.GF_Write, band, x, y, width, height, p, buffer.Length, GdalDataTypes.Of<T>());
    }

    public void WriteBand<T>(int band, ReadOnlySpan<T> buffer) where T : unmanaged => Write(band, 0, 0, Width, Height, buffer);

    /// <summary>
    /// The value of the pixel containing WGS84 (<paramref name="lon"/>, <paramref name="lat"/>), or null when
    /// the point is outside the raster. The point is projected into the raster's CRS first.
    /// </summary>
    public double? SampleAt(double lon, double lat, int band = 1)
    {
        using var srs = SpatialReference();
        using var wgs84 = Native.Gdal.SpatialReference.Wgs84();
        using var transform = new CoordinateTransform(wgs84, srs);
        var (x, y) = transform.Transform(lon, lat);
        var (col, row) = GeoTransform.PixelContaining(x, y);
        if (col < 0 || row < 0 || col >= Width || row >= Height) return null;
        Span<double> value = stackalloc double[1];
        Read(band, col, row, 1, 1, value);
        return value[0];
    }

    public void FlushCache() => GdalNative.GDALFlushCache(Handle);

    public void Dispose()
    {
        if (Handle == IntPtr.Zero) return;
        GdalNative.GDALClose(Handle);
        Handle = IntPtr.Zero;
    }

    internal IntPtr Band(int band)
    {
        ObjectDisposedException.ThrowIf(Handle == IntPtr.Zero, this);
        if (band < 1 || band > BandCount)
            throw new ArgumentOutOfRangeException(nameof(band), $"Raster '{Path}' has {BandCount} band(s); band {band} does not exist.");
        return GdalNative.GDALGetRasterBand(Handle, band);
    }

    private void RasterIo<T>(int readWrite, int band, int x, int y, int width, int height, Span<T> buffer) where T : unmanaged
    {
        fixed (T* p = buffer) RasterIoCore(readWrite, band, x, y, width, height, p, buffer.Length, GdalDataTypes.Of<T>());
    }

    private void RasterIoCore(int readWrite, int band, int x, int y, int width, int height, void* data, int length, GdalDataType type)
    {
        if ((long)width * height > length)
            throw new ArgumentException($"Buffer of {length} values is smaller than the {width}x{height} window.");
        if (x < 0 || y < 0 || x + width > Width || y + height > Height)
            throw new ArgumentOutOfRangeException(nameof(x),
                $"Window {width}x{height} at ({x}, {y}) is outside raster '{Path}' ({Width}x{Height}).");
        GdalNative.CPLErrorReset();
        var err = GdalNative.GDALRasterIO(Band(band), readWrite, x, y, width, height, data, width, height, (int)type, 0, 0);
        GdalRuntime.Check(err, readWrite == GdalNative.GF_Read ? $"Reading band {band} of" : $"Writing band {band} of", Path);
    }

    private static IntPtr GdalDriver(string name)
    {
        var driver = GdalNative.GDALGetDriverByName(name);
        if (driver == IntPtr.Zero) throw new GdalException($"GDAL has no '{name}' driver (GDAL built without it?).");
        return driver;
    }
}
