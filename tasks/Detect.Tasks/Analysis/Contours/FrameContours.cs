using Detect.Tasks.Native.Gdal;
using NetTopologySuite.Geometries;

namespace Detect.Tasks.Analysis.Contours;

/// <summary>Per-frame contour parameters; defaults are what the original pipeline effectively did.</summary>
public sealed record ContourOptions
{
    /// <summary>Bicubic upsampling factor before contouring.</summary>
    public int Upsample { get; init; } = 4;
    /// <summary>Gaussian kernel size in upsampled pixels (8·4+1).</summary>
    public int BlurKernel { get; init; } = 33;
    public double BlurSigma { get; init; } = 4;
    /// <summary>Contour level on the blurred [0, 1] values; inside is &gt; level.</summary>
    public float Level { get; init; } = 0.2f;
    /// <summary>Polygons smaller than this many upsampled pixels (holes subtracted) are dropped (40·4).</summary>
    public double MinAreaPixels { get; init; } = 160;
}

/// <summary>A contour polygon in the raster's CRS, with its area.</summary>
public sealed record ContourPolygon(Polygon Geometry, double AreaPixels, double AreaKm2);

/// <summary>
/// The per-frame contour step: ×4 bicubic upsample (OpenCV INTER_CUBIC), clip to [0, 1], quantise to 8 bits, Gaussian
/// blur (33 px, σ 4; OpenCV), iso-contour at 0.2 into polygons with holes (marching squares: sub-pixel vertices), drop
/// small polygons, georeference. Clipping before the 8-bit step means bicubic overshoot can never wrap around (the
/// original's uint8 cast turned values just above 1 into ~0 and values just below 0 into ~255).
/// Why marching squares and not OpenCV's findContours: findContours puts vertices on the centres of the boundary pixels,
/// half a pixel inside the region, so its areas come out ~1 % small on site-sized contours (0.988 of the pixel count
/// above the level vs 1.000; bench/README-analysis.md).
/// </summary>
public static class FrameContours
{
    /// <param name="frame">Row-major prediction values (NaN = nodata, treated as outside).</param>
    /// <param name="transform">Geotransform of <paramref name="frame"/> at its own resolution.</param>
    /// <param name="geographic">True when the CRS is lon/lat degrees (area on the WGS84 ellipsoid), false for projected metres.</param>
    public static List<ContourPolygon> Extract(ReadOnlySpan<float> frame, int width, int height, GeoTransform transform,
        bool geographic, ContourOptions? options = null)
    {
        var o = options ?? new ContourOptions();
        var gt = transform.Upsampled(o.Upsample);
        var result = new List<ContourPolygon>();
        foreach (var p in PixelPolygons(frame, width, height, o))
        {
            if (p.Area < o.MinAreaPixels) continue;
            var world = (Polygon)gt.ToWorld(p);
            result.Add(new ContourPolygon(world, p.Area, PolygonArea.SquareKilometres(world, geographic)));
        }
        return result;
    }

    /// <summary>Every contour polygon of the frame (no size filter) in upsampled pixel-corner coordinates.</summary>
    public static List<Polygon> PixelPolygons(ReadOnlySpan<float> frame, int width, int height, ContourOptions o)
    {
        if (width <= 0 || height <= 0 || frame.Length != width * height)
            throw new ArgumentException($"Frame has {frame.Length} values, expected {width}x{height}.");
        var field = OpenCvFilters.UpsampleBicubic(frame, width, height, o.Upsample);
        int uw = width * o.Upsample, uh = height * o.Upsample;
        ClipAndQuantise(field);
        OpenCvFilters.GaussianBlurInPlace(field, uw, uh, o.BlurKernel, o.BlurSigma);
        return RingAssembler.Polygons(MarchingSquares.Rings(field, uw, uh, o.Level));
    }

    /// <summary>Clip to [0, 1] and keep only what an 8-bit image can hold (v·255 truncated, as numpy's uint8 cast).
    /// NaN stays NaN (nodata).</summary>
    internal static void ClipAndQuantise(Span<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            float v = values[i];
            if (float.IsNaN(v)) continue;
            values[i] = MathF.Floor(Math.Clamp(v, 0f, 1f) * 255f) / 255f;
        }
    }
}
