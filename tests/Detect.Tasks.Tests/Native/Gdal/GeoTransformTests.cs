using Detect.Tasks.Native.Gdal;

namespace Detect.Tasks.Tests.Native.Gdal;

public sealed class GeoTransformTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Pixel_centres_are_half_a_pixel_from_the_corner()
    {
        var gt = GeoTransform.NorthUp(300_000, 9_100_000, 10);
        gt.PixelCenter(0, 0).Should().Be((300_005.0, 9_099_995.0));
        gt.PixelCenter(3, 2).Should().Be((300_035.0, 9_099_975.0));
        gt.ToPixel(300_035, 9_099_975).Should().Be((3.5, 2.5));
        gt.PixelContaining(300_035, 9_099_975).Should().Be((3, 2));
        gt.PixelContaining(300_040, 9_099_980).Should().Be((4, 2)); // a corner belongs to the pixel right/below it
        gt.PixelContaining(299_999.9, 9_100_000.1).Should().Be((-1, -1));
        gt.Bounds(10, 20).Should().Be((300_000.0, 9_099_800.0, 300_100.0, 9_100_000.0));
    }

    [Fact]
    public void Rotated_transform_inverts()
    {
        var gt = new GeoTransform(10, 2, 0.5, 20, 0.25, -3);
        var (x, y) = gt.Apply(7.25, 4.5);
        var (c, r) = gt.ToPixel(x, y);
        c.Should().BeApproximately(7.25, 1e-9);
        r.Should().BeApproximately(4.5, 1e-9);
    }

    [Fact]
    public void A_one_pixel_marker_is_found_at_its_lon_lat_through_gdal()
    {
        var grid = new RasterGrid(32750, GeoTransform.NorthUp(318_000, 9_072_000, 10), 64, 48);
        var values = new float[grid.PixelCount];
        values[17 * 64 + 41] = 1f;
        var path = _dir.File("marker.tif");
        Cog.Write(path, grid, [new ReadOnlyMemory<float>(values)], ["median"], double.NaN);

        using var ds = GdalDataset.Open(path);
        var (x, y) = ds.GeoTransform.PixelCenter(41, 17);
        using var toWgs84 = CoordinateTransform.FromEpsg(32750, 4326);
        var (lon, lat) = toWgs84.Transform(x, y);
        lon.Should().BeInRange(114, 120, "x is longitude (traditional GIS order)");
        lat.Should().BeInRange(-9, -8);

        using var toUtm = CoordinateTransform.FromEpsg(4326, 32750);
        var (ux, uy) = toUtm.Transform(lon, lat);
        var (col, row) = ds.GeoTransform.PixelContaining(ux, uy);
        var pixel = new float[1];
        ds.Read<float>(1, col, row, 1, 1, pixel);
        pixel[0].Should().Be(1f);
        (col, row).Should().Be((41, 17));
        ds.SampleAt(lon, lat).Should().Be(1.0);
        var (nx, ny) = ds.GeoTransform.PixelCenter(42, 17);
        var (nlon, nlat) = toWgs84.Transform(nx, ny);
        ds.SampleAt(nlon, nlat).Should().Be(0.0, "the next pixel east is background");
        ds.SampleAt(0, 0).Should().BeNull("a point outside the raster has no value");
    }

    [Fact]
    public void Utm_zone_and_central_meridian()
    {
        SpatialReference.UtmZone(115.39).Should().Be(50);
        SpatialReference.UtmZone(-0.1).Should().Be(30);
        SpatialReference.UtmZone(180).Should().Be(60);
        SpatialReference.UtmEpsg(50, north: false).Should().Be(32750);
        using var t = CoordinateTransform.FromEpsg(4326, 32750);
        var (e, n) = t.Transform(117, 0);
        e.Should().BeApproximately(500_000, 1e-6);
        n.Should().BeApproximately(10_000_000, 1e-6);
    }
}
