using Detect.Tasks.Native.Gdal;

namespace Detect.Tasks.Pipeline;

/// <summary>The 10 m grid, in the site's UTM zone, of a square of <c>rect_width</c> degrees centred on a site.</summary>
public static class SiteBox
{
    public const double Resolution = 10;

    public static RasterGrid Grid(double lon, double lat, double rectWidthDegrees)
    {
        var epsg = SpatialReference.UtmEpsg(SpatialReference.UtmZone(lon), lat >= 0);
        using var toUtm = CoordinateTransform.FromEpsg(4326, epsg);
        var half = rectWidthDegrees / 2;
        double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
        foreach (var (x, y) in new[] { (lon - half, lat - half), (lon - half, lat + half), (lon + half, lat - half), (lon + half, lat + half) })
        {
            var (px, py) = toUtm.Transform(x, y);
            (minX, minY, maxX, maxY) = (Math.Min(minX, px), Math.Min(minY, py), Math.Max(maxX, px), Math.Max(maxY, py));
        }
        var left = Math.Floor(minX / Resolution) * Resolution;
        var top = Math.Ceiling(maxY / Resolution) * Resolution;
        var width = (int)Math.Ceiling((maxX - left) / Resolution);
        var height = (int)Math.Ceiling((top - minY) / Resolution);
        return new RasterGrid(epsg, GeoTransform.NorthUp(left, top, Resolution), width, height);
    }
}
