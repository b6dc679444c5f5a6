namespace Detect.Tasks.Native.Gdal;

/// <summary>A georeferenced pixel grid: CRS (EPSG code), geotransform and size. Tiles and warp targets are grids.</summary>
public sealed record RasterGrid(int Epsg, GeoTransform Transform, int Width, int Height)
{
    private string? _wkt;

    public string Wkt
    {
        get
        {
            if (_wkt is not null) return _wkt;
            using var srs = SpatialReference.FromEpsg(Epsg);
            return _wkt = srs.ToWkt();
        }
    }

    public int PixelCount => Width * Height;

    /// <summary>An in-memory dataset on this grid (all pixels 0), with CRS and geotransform set.</summary>
    public GdalDataset CreateDataset(int bands, GdalDataType type)
    {
        var dataset = GdalDataset.CreateInMemory(Width, Height, bands, type);
        dataset.GeoTransform = Transform;
        dataset.ProjectionWkt = Wkt;
        return dataset;
    }

    public (double MinX, double MinY, double MaxX, double MaxY) Bounds => Transform.Bounds(Width, Height);
}
