using Detect.Tasks.Native.Gdal;
using NetTopologySuite.Geometries;

namespace Detect.Tasks.Geo;

public static class GridFootprint
{
    /// <summary>The outline of a raster grid in WGS84 (edges densified so the curved outline is followed).</summary>
    public static Geometry Wgs84(RasterGrid grid)
    {
        var (minX, minY, maxX, maxY) = grid.Bounds;
        var factory = new GeometryFactory(new PrecisionModel(), grid.Epsg);
        var box = NetTopologySuite.Densify.Densifier.Densify(factory.ToGeometry(new Envelope(minX, maxX, minY, maxY)), (maxX - minX) / 8);
        return grid.Epsg == 4326 ? box : GeometryReprojection.Transform(box, grid.Epsg, 4326);
    }
}
