using Detect.Tasks.Native.Gdal;
using Detect.Tasks.Analysis.Contours;
using NetTopologySuite.Geometries;

namespace Detect.Tasks.Tests.Analysis.Contours;

public class FrameContoursTests
{
    // a north-up UTM-like grid with 10 m pixels
    private static readonly GeoTransform Utm10m = new(500000, 10, 0, 4000000, 0, -10);

    private static float[] Raster(int w, int h, Func<double, double, float> valueAtPixelCentre)
    {
        var img = new float[w * h];
        for (int r = 0; r < h; r++) for (int c = 0; c < w; c++) img[r * w + c] = valueAtPixelCentre(c + 0.5, r + 0.5);
        return img;
    }

    private static float[] Disc(int size, double cx, double cy, double radius) =>
        Raster(size, size, (x, y) => (x - cx) * (x - cx) + (y - cy) * (y - cy) <= radius * radius ? 1f : 0f);

    /// <summary>Area above the level counted pixel by pixel on the same upsampled, blurred field: an independent estimate.</summary>
    private static double PixelCountArea(float[] frame, int w, int h, ContourOptions o)
    {
        var up = ReferenceBicubic.Upsample(frame, w, h, o.Upsample);
        FrameContours.ClipAndQuantise(up);
        var blurred = ReferenceGaussianBlur.Apply(up, w * o.Upsample, h * o.Upsample, o.BlurKernel, o.BlurSigma);
        return blurred.Count(v => v > o.Level);
    }

    [Fact]
    public void A_disc_gives_one_valid_polygon_with_the_disc_area_within_5_percent()
    {
        const double radius = 50; // px, i.e. 500 m
        var frame = Disc(160, 80, 80, radius);
        var polygons = FrameContours.Extract(frame, 160, 160, Utm10m, geographic: false);
        var p = polygons.Should().ContainSingle().Subject;
        p.Geometry.IsValid.Should().BeTrue();
        p.Geometry.NumInteriorRings.Should().Be(0);
        double expectedKm2 = Math.PI * 500 * 500 / 1e6;
        p.AreaKm2.Should().BeApproximately(expectedKm2, 0.05 * expectedKm2);
        // the polygon is where the disc is: centre at (500800, 3999200)
        p.Geometry.Centroid.X.Should().BeApproximately(500800, 1);
        p.Geometry.Centroid.Y.Should().BeApproximately(3999200, 1);
        // the contour area agrees with counting the blurred pixels above the level
        p.AreaPixels.Should().BeApproximately(PixelCountArea(frame, 160, 160, new ContourOptions()), 0.01 * p.AreaPixels);
        p.AreaKm2.Should().BeApproximately(p.AreaPixels * 2.5 * 2.5 / 1e6, 1e-9);
    }

    [Fact]
    public void A_ring_gives_one_polygon_with_one_hole()
    {
        var frame = Raster(120, 120, (x, y) =>
        {
            double d = Math.Sqrt((x - 60) * (x - 60) + (y - 60) * (y - 60));
            return d is >= 15 and <= 35 ? 1f : 0f;
        });
        var p = FrameContours.Extract(frame, 120, 120, Utm10m, geographic: false).Should().ContainSingle().Subject;
        p.Geometry.IsValid.Should().BeTrue();
        p.Geometry.NumInteriorRings.Should().Be(1);
        p.Geometry.Contains(p.Geometry.Factory.CreatePoint(new Coordinate(500600, 3999400))).Should().BeFalse("the centre is in the hole");
        p.AreaPixels.Should().BeApproximately(PixelCountArea(frame, 120, 120, new ContourOptions()), 0.01 * p.AreaPixels);
    }

    [Fact]
    public void An_island_inside_a_hole_is_its_own_polygon()
    {
        var frame = Raster(140, 140, (x, y) =>
        {
            double d = Math.Sqrt((x - 70) * (x - 70) + (y - 70) * (y - 70));
            return d <= 12 || d is >= 30 and <= 55 ? 1f : 0f;
        });
        var polygons = FrameContours.Extract(frame, 140, 140, Utm10m, geographic: false);
        polygons.Should().HaveCount(2);
        polygons.Should().OnlyContain(p => p.Geometry.IsValid);
        polygons.Count(p => p.Geometry.NumInteriorRings == 1).Should().Be(1);
        var outer = polygons.Single(p => p.Geometry.NumInteriorRings == 1).Geometry;
        var island = polygons.Single(p => p.Geometry.NumInteriorRings == 0).Geometry;
        outer.Intersects(island).Should().BeFalse();
        new Polygon((LinearRing)outer.InteriorRings[0]).Contains(island).Should().BeTrue();
    }

    [Fact]
    public void Bicubic_overshoot_does_not_create_spurious_polygons()
    {
        // hard-edged squares and a checkerboard make the bicubic kernel overshoot above 1 and below 0; a wrapping
        // uint8 cast would turn that into rings of 255s around every edge
        var frame = Raster(100, 100, (x, y) =>
            x is > 20 and < 45 && y is > 20 and < 45 ? 1f : x is > 60 and < 90 && y is > 60 and < 90 && ((int)x + (int)y) % 2 == 0 ? 1f : 0f);
        var up = OpenCvFilters.UpsampleBicubic(frame, 100, 100, 4);
        up.Max().Should().BeGreaterThan(1f, "the test must exercise overshoot");
        up.Min().Should().BeLessThan(0f, "the test must exercise undershoot");
        var polygons = FrameContours.Extract(frame, 100, 100, Utm10m, geographic: false);
        polygons.Should().HaveCount(2);
        polygons.Should().OnlyContain(p => p.Geometry.IsValid && p.Geometry.NumInteriorRings == 0);
    }

    [Fact]
    public void Clip_happens_before_the_8_bit_step()
    {
        float[] v = [1.03f, -0.02f, 0.5f, float.NaN];
        FrameContours.ClipAndQuantise(v);
        v[0].Should().Be(1f);
        v[1].Should().Be(0f);
        v[2].Should().Be(127f / 255f);
        float.IsNaN(v[3]).Should().BeTrue();
    }

    [Fact]
    public void Polygons_under_the_minimum_area_are_dropped()
    {
        var frame = Disc(60, 30, 30, 2.5); // ~20 source px → a few hundred upsampled px
        var all = FrameContours.Extract(frame, 60, 60, Utm10m, false, new ContourOptions { MinAreaPixels = 0 });
        var p = all.Should().ContainSingle().Subject;
        FrameContours.Extract(frame, 60, 60, Utm10m, false, new ContourOptions { MinAreaPixels = p.AreaPixels + 1 }).Should().BeEmpty();
        FrameContours.Extract(frame, 60, 60, Utm10m, false, new ContourOptions { MinAreaPixels = p.AreaPixels - 1 }).Should().HaveCount(1);
    }

    [Fact]
    public void Blobs_touching_the_raster_edge_and_nodata_are_closed_polygons()
    {
        var frame = Raster(80, 80, (x, y) => x < 20 ? 1f : x > 50 && x < 70 && y > 20 && y < 60 ? 1f : 0f);
        for (int r = 0; r < 80; r++) for (int c = 55; c < 58; c++) frame[r * 80 + c] = float.NaN; // nodata strip cuts the second blob
        var polygons = FrameContours.Extract(frame, 80, 80, Utm10m, geographic: false);
        polygons.Should().HaveCount(3);
        polygons.Should().OnlyContain(p => p.Geometry.IsValid);
        // the edge blob reaches the raster boundary but not beyond it
        polygons.Max(p => p.Geometry.EnvelopeInternal.MaxY).Should().BeLessThanOrEqualTo(4000000);
        polygons.Min(p => p.Geometry.EnvelopeInternal.MinX).Should().BeGreaterThanOrEqualTo(500000);
    }

    [Fact]
    public void Geographic_frames_get_ellipsoidal_areas()
    {
        // a disc of radius 50 px on a lon/lat grid at 60°N whose pixels are ~10 m × 10 m on the ground
        double lat0 = 60, dLat = 10 / 111412.0, dLon = 10 / 55800.0;
        var gt = new GeoTransform(10, dLon, 0, lat0 + 80 * dLat, 0, -dLat);
        var p = FrameContours.Extract(Disc(160, 80, 80, 50), 160, 160, gt, geographic: true).Should().ContainSingle().Subject;
        double expected = Math.PI * 500 * 500 / 1e6;
        p.AreaKm2.Should().BeApproximately(expected, 0.05 * expected);
    }
}
