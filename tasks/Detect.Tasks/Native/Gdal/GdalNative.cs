using System.Runtime.InteropServices;

namespace Detect.Tasks.Native.Gdal;

/// <summary>
/// The raw GDAL/OGR-SRS/CPL C API (GDAL 3.x). Every P/Invoke of the project lives here; the rest of the code
/// uses the safe wrappers in this folder. Strings are UTF-8; pointers to GDAL-owned strings are returned as
/// <see cref="IntPtr"/> and read with <see cref="Utf8"/> (they must not be freed by the marshaller).
/// </summary>
internal static unsafe partial class GdalNative
{
    internal const string Library = "gdal";

    internal const int CE_None = 0, CE_Warning = 2, CE_Failure = 3;
    // CPLErrorNum values of cpl_error.h for HTTP and S3 answers.
    internal const int CPLE_HttpResponse = 11, CPLE_AWSBucketNotFound = 12, CPLE_AWSObjectNotFound = 13, CPLE_AWSAccessDenied = 14,
        CPLE_AWSInvalidCredentials = 15, CPLE_AWSSignatureDoesNotMatch = 16;
    internal const uint GDAL_OF_READONLY = 0x00, GDAL_OF_UPDATE = 0x01, GDAL_OF_RASTER = 0x02, GDAL_OF_VERBOSE_ERROR = 0x40;
    internal const int GF_Read = 0, GF_Write = 1;
    internal const int OAMS_TRADITIONAL_GIS_ORDER = 0;

    // ---- CPL ----
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void CPLSetConfigOption(string key, string? value);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void CPLSetThreadLocalConfigOption(string key, string? value);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr CPLGetConfigOption(string key, string? defaultValue);

    /// <summary>GDAL ≥ 3.6: a configuration option that applies only to paths under a prefix (e.g. "/vsis3/bucket").</summary>
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void VSISetPathSpecificOption(string pathPrefix, string key, string? value);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr VSIGetPathSpecificOption(string path, string key, string? defaultValue);

    [LibraryImport(Library)] internal static partial IntPtr CPLGetLastErrorMsg();
    [LibraryImport(Library)] internal static partial int CPLGetLastErrorType();
    [LibraryImport(Library)] internal static partial void CPLErrorReset();
    [LibraryImport(Library)] internal static partial IntPtr CPLSetErrorHandler(IntPtr handler);
    [LibraryImport(Library)] internal static partial void CPLPushErrorHandler(IntPtr handler);
    [LibraryImport(Library)] internal static partial void CPLPopErrorHandler();
    [LibraryImport(Library)] internal static partial void VSIFree(IntPtr pointer);

    // ---- GDAL raster ----
    [LibraryImport(Library)] internal static partial void GDALAllRegister();

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr GDALOpenEx(string path, uint flags, IntPtr allowedDrivers, IntPtr openOptions, IntPtr siblingFiles);

    [LibraryImport(Library)] internal static partial void GDALClose(IntPtr dataset);
    [LibraryImport(Library)] internal static partial void GDALFlushCache(IntPtr dataset);
    [LibraryImport(Library)] internal static partial int GDALGetRasterXSize(IntPtr dataset);
    [LibraryImport(Library)] internal static partial int GDALGetRasterYSize(IntPtr dataset);
    [LibraryImport(Library)] internal static partial int GDALGetRasterCount(IntPtr dataset);
    [LibraryImport(Library)] internal static partial int GDALGetGeoTransform(IntPtr dataset, double* transform);
    [LibraryImport(Library)] internal static partial int GDALSetGeoTransform(IntPtr dataset, double* transform);
    [LibraryImport(Library)] internal static partial IntPtr GDALGetProjectionRef(IntPtr dataset);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int GDALSetProjection(IntPtr dataset, string wkt);

    [LibraryImport(Library)] internal static partial IntPtr GDALGetRasterBand(IntPtr dataset, int bandNumber);
    [LibraryImport(Library)] internal static partial int GDALGetRasterDataType(IntPtr band);

    [LibraryImport(Library)]
    internal static partial int GDALRasterIO(IntPtr band, int readWrite, int xOff, int yOff, int xSize, int ySize,
        void* data, int bufXSize, int bufYSize, int bufType, int pixelSpace, int lineSpace);

    [LibraryImport(Library)] internal static partial double GDALGetRasterNoDataValue(IntPtr band, int* hasNoData);
    [LibraryImport(Library)] internal static partial int GDALSetRasterNoDataValue(IntPtr band, double value);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void GDALSetDescription(IntPtr majorObject, string description);

    [LibraryImport(Library)] internal static partial IntPtr GDALGetDescription(IntPtr majorObject);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr GDALGetDriverByName(string name);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr GDALCreate(IntPtr driver, string path, int xSize, int ySize, int bands, int dataType, IntPtr options);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr GDALCreateCopy(IntPtr driver, string path, IntPtr source, int strict, IntPtr options,
        IntPtr progress, IntPtr progressData);

    // ---- gdalwarp as a library ----
    [LibraryImport(Library)] internal static partial IntPtr GDALWarpAppOptionsNew(IntPtr argv, IntPtr forBinary);
    [LibraryImport(Library)] internal static partial void GDALWarpAppOptionsFree(IntPtr options);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr GDALWarp(string? destination, IntPtr destinationDataset, int sourceCount, IntPtr* sources,
        IntPtr options, int* usageError);

    // ---- OGR spatial references ----
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr OSRNewSpatialReference(string? wkt);

    [LibraryImport(Library)] internal static partial void OSRDestroySpatialReference(IntPtr srs);
    [LibraryImport(Library)] internal static partial int OSRImportFromEPSG(IntPtr srs, int code);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int OSRSetFromUserInput(IntPtr srs, string definition);

    [LibraryImport(Library)] internal static partial void OSRSetAxisMappingStrategy(IntPtr srs, int strategy);
    [LibraryImport(Library)] internal static partial int OSRExportToWkt(IntPtr srs, IntPtr* wkt);
    [LibraryImport(Library)] internal static partial int OSRAutoIdentifyEPSG(IntPtr srs);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr OSRGetAuthorityCode(IntPtr srs, string? targetKey);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr OSRGetAuthorityName(IntPtr srs, string? targetKey);

    [LibraryImport(Library)] internal static partial int OSRIsSame(IntPtr a, IntPtr b);
    [LibraryImport(Library)] internal static partial IntPtr OCTNewCoordinateTransformation(IntPtr source, IntPtr target);
    [LibraryImport(Library)] internal static partial void OCTDestroyCoordinateTransformation(IntPtr transform);
    [LibraryImport(Library)] internal static partial int OCTTransform(IntPtr transform, int count, double* x, double* y, double* z);

    internal static string? Utf8(IntPtr text) => text == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(text);
}
