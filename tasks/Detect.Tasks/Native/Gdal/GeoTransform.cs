namespace Detect.Tasks.Native.Gdal;

/// <summary>
/// GDAL's affine geotransform: world x = OriginX + col·PixelWidth + row·RowRotation, world y = OriginY +
/// col·ColumnRotation + row·PixelHeight, where (col, row) are pixel-corner coordinates ((0, 0) is the top-left
/// corner of the top-left pixel). Pixel <i>centres</i> sit at (col + 0.5, row + 0.5).
/// </summary>
public readonly record struct GeoTransform(
    double OriginX, double PixelWidth, double RowRotation,
    double OriginY, double ColumnRotation, double PixelHeight)
{
    /// <summary>A north-up grid whose top-left corner is (<paramref name="left"/>, <paramref name="top"/>).</summary>
    public static GeoTransform NorthUp(double left, double top, double resolution) =>
        new(left, resolution, 0, top, 0, -resolution);

    public static GeoTransform FromArray(ReadOnlySpan<double> gt) => new(gt[0], gt[1], gt[2], gt[3], gt[4], gt[5]);

    public double[] ToArray() => [OriginX, PixelWidth, RowRotation, OriginY, ColumnRotation, PixelHeight];

    /// <summary>The same extent sampled <paramref name="factor"/> times finer along each axis.</summary>
    public GeoTransform Upsampled(int factor) => this with
    {
        PixelWidth = PixelWidth / factor, RowRotation = RowRotation / factor,
        ColumnRotation = ColumnRotation / factor, PixelHeight = PixelHeight / factor,
    };

    /// <summary>World coordinates of a pixel-space point (corner convention: integers are pixel corners).</summary>
    public (double X, double Y) Apply(double col, double row) =>
        (OriginX + col * PixelWidth + row * RowRotation, OriginY + col * ColumnRotation + row * PixelHeight);

    /// <summary>World coordinates of the centre of pixel (<paramref name="col"/>, <paramref name="row"/>).</summary>
    public (double X, double Y) PixelCenter(int col, int row) => Apply(col + 0.5, row + 0.5);

    /// <summary>Fractional pixel-space coordinates of a world point (floor gives the pixel that contains it).</summary>
    public (double Col, double Row) ToPixel(double x, double y)
    {
        var det = PixelWidth * PixelHeight - RowRotation * ColumnRotation;
        if (det == 0) throw new InvalidOperationException("The geotransform is degenerate (zero determinant) and cannot be inverted.");
        var dx = x - OriginX;
        var dy = y - OriginY;
        return ((dx * PixelHeight - dy * RowRotation) / det, (dy * PixelWidth - dx * ColumnRotation) / det);
    }

    /// <summary>The pixel that contains the world point (it may lie outside the raster).</summary>
    public (int Col, int Row) PixelContaining(double x, double y)
    {
        var (c, r) = ToPixel(x, y);
        return ((int)Math.Floor(c), (int)Math.Floor(r));
    }

    /// <summary>Bounds (minX, minY, maxX, maxY) of a width × height raster on this grid.</summary>
    public (double MinX, double MinY, double MaxX, double MaxY) Bounds(int width, int height)
    {
        Span<(double X, double Y)> corners = [Apply(0, 0), Apply(width, 0), Apply(0, height), Apply(width, height)];
        double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
        foreach (var (x, y) in corners)
        {
            minX = Math.Min(minX, x); maxX = Math.Max(maxX, x);
            minY = Math.Min(minY, y); maxY = Math.Max(maxY, y);
        }
        return (minX, minY, maxX, maxY);
    }
}
