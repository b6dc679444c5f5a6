using Detect.Tasks.Native.Gdal;

namespace Detect.Tasks.Pipeline;

/// <summary>Pixel (row, col) of a raster → WGS84 lon/lat at the pixel centre, through the raster's own CRS.</summary>
internal sealed class Georeferencing : IDisposable
{
    private readonly GeoTransform _transform;
    private readonly CoordinateTransform _toWgs84;

    public Georeferencing(GdalDataset dataset)
    {
        _transform = dataset.GeoTransform;
        using var source = dataset.SpatialReference();
        using var wgs84 = SpatialReference.Wgs84();
        _toWgs84 = new CoordinateTransform(source, wgs84);
    }

    public (double Lon, double Lat) PixelCentre(double row, double col)
    {
        var (x, y) = _transform.Apply(col + 0.5, row + 0.5);
        return _toWgs84.Transform(x, y);
    }

    public void Dispose() => _toWgs84.Dispose();
}
