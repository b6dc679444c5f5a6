namespace Detect.Tasks.Native.Gdal;

/// <summary>
/// An OGR spatial reference. Axis order is always the traditional GIS one (x = easting/longitude,
/// y = northing/latitude), whatever the EPSG definition says, so EPSG:4326 takes (lon, lat).
/// </summary>
public sealed unsafe class SpatialReference : IDisposable
{
    internal IntPtr Handle { get; private set; }

    private SpatialReference(IntPtr handle)
    {
        Handle = handle;
        GdalNative.OSRSetAxisMappingStrategy(handle, GdalNative.OAMS_TRADITIONAL_GIS_ORDER);
    }

    public static SpatialReference Wgs84() => FromEpsg(4326);

    public static SpatialReference FromEpsg(int code)
    {
        GdalRuntime.EnsureInitialized();
        var srs = new SpatialReference(GdalNative.OSRNewSpatialReference(null));
        if (GdalNative.OSRImportFromEPSG(srs.Handle, code) != 0)
        {
            srs.Dispose();
            throw GdalRuntime.Failure($"Importing EPSG:{code}", null);
        }
        return srs;
    }

    /// <summary>From WKT, "EPSG:n", PROJ strings or anything else GDAL's SetFromUserInput accepts.</summary>
    public static SpatialReference FromUserInput(string definition)
    {
        GdalRuntime.EnsureInitialized();
        if (string.IsNullOrWhiteSpace(definition))
            throw new GdalException("The spatial reference definition is empty (a raster without a CRS?).");
        var srs = new SpatialReference(GdalNative.OSRNewSpatialReference(null));
        if (GdalNative.OSRSetFromUserInput(srs.Handle, definition) != 0)
        {
            srs.Dispose();
            throw GdalRuntime.Failure($"Parsing the spatial reference '{Shorten(definition)}'", null);
        }
        return srs;
    }

    /// <summary>The UTM zone (1–60) whose central band holds <paramref name="longitude"/>.</summary>
    public static int UtmZone(double longitude)
    {
        var zone = (int)Math.Floor((longitude + 180.0) / 6.0) + 1;
        return Math.Clamp(zone, 1, 60);
    }

    /// <summary>EPSG code of WGS84 / UTM zone <paramref name="zone"/> (326zz north, 327zz south).</summary>
    public static int UtmEpsg(int zone, bool north) => (north ? 32600 : 32700) + zone;

    public string ToWkt()
    {
        IntPtr text;
        if (GdalNative.OSRExportToWkt(Handle, &text) != 0) throw GdalRuntime.Failure("Exporting a spatial reference to WKT", null);
        try { return GdalNative.Utf8(text) ?? ""; }
        finally { GdalNative.VSIFree(text); }
    }

    /// <summary>The EPSG code, when the definition carries (or can be identified as) one.</summary>
    public int? Epsg
    {
        get
        {
            var name = GdalNative.Utf8(GdalNative.OSRGetAuthorityName(Handle, null));
            var code = GdalNative.Utf8(GdalNative.OSRGetAuthorityCode(Handle, null));
            if (name is null || code is null)
            {
                _ = GdalNative.OSRAutoIdentifyEPSG(Handle); // when it fails the authority stays null, which the caller handles
                name = GdalNative.Utf8(GdalNative.OSRGetAuthorityName(Handle, null));
                code = GdalNative.Utf8(GdalNative.OSRGetAuthorityCode(Handle, null));
            }
            return name == "EPSG" && int.TryParse(code, out var epsg) ? epsg : null;
        }
    }

    public bool IsSame(SpatialReference other) => GdalNative.OSRIsSame(Handle, other.Handle) != 0;

    public void Dispose()
    {
        if (Handle == IntPtr.Zero) return;
        GdalNative.OSRDestroySpatialReference(Handle);
        Handle = IntPtr.Zero;
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";
}
