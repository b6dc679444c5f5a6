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

    // The cached WKT is not part of a grid's identity.
    public bool Equals(RasterGrid? other) =>
        other is not null && Epsg == other.Epsg && Transform == other.Transform && Width == other.Width && Height == other.Height;

    public override int GetHashCode() => HashCode.Combine(Epsg, Transform, Width, Height);

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
