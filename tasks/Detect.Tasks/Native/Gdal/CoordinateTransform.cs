namespace Detect.Tasks.Native.Gdal;

/// <summary>Transforms points between two spatial references (x, y in traditional GIS order: lon, lat).</summary>
public sealed unsafe class CoordinateTransform : IDisposable
{
    private IntPtr _handle;
    private readonly string _description;

    public CoordinateTransform(SpatialReference source, SpatialReference target)
    {
        GdalRuntime.EnsureInitialized();
        _description = $"{source.Epsg?.ToString() ?? "custom CRS"} → {target.Epsg?.ToString() ?? "custom CRS"}";
        _handle = GdalNative.OCTNewCoordinateTransformation(source.Handle, target.Handle);
        if (_handle == IntPtr.Zero) throw GdalRuntime.Failure($"Creating the coordinate transformation {_description}", null);
    }

    public static CoordinateTransform FromEpsg(int source, int target)
    {
        using var s = SpatialReference.FromEpsg(source);
        using var t = SpatialReference.FromEpsg(target);
        return new CoordinateTransform(s, t);
    }

    [ThreadStatic] private static Dictionary<(int, int), CoordinateTransform>? _perThread;

    /// <summary>
    /// A transformation kept for the calling thread (creating one costs milliseconds of PROJ database
    /// look-ups). Do not dispose it; do not hand it to another thread.
    /// </summary>
    public static CoordinateTransform Cached(int sourceEpsg, int targetEpsg)
    {
        _perThread ??= new Dictionary<(int, int), CoordinateTransform>();
        if (!_perThread.TryGetValue((sourceEpsg, targetEpsg), out var transform))
            _perThread[(sourceEpsg, targetEpsg)] = transform = FromEpsg(sourceEpsg, targetEpsg);
        return transform;
    }

    public (double X, double Y) Transform(double x, double y)
    {
        double z = 0;
        if (GdalNative.OCTTransform(_handle, 1, &x, &y, &z) == 0)
            throw GdalRuntime.Failure($"Transforming ({x}, {y}) {_description}", null);
        return (x, y);
    }

    /// <summary>Transforms the points in place.</summary>
    public void Transform(Span<double> xs, Span<double> ys)
    {
        if (xs.Length != ys.Length) throw new ArgumentException("x and y spans differ in length.");
        if (xs.Length == 0) return;
        fixed (double* px = xs)
        fixed (double* py = ys)
        {
            if (GdalNative.OCTTransform(_handle, xs.Length, px, py, null) == 0)
                throw GdalRuntime.Failure($"Transforming {xs.Length} points {_description}", null);
        }
    }

    public void Dispose()
    {
        if (_handle == IntPtr.Zero) return;
        GdalNative.OCTDestroyCoordinateTransformation(_handle);
        _handle = IntPtr.Zero;
    }
}
