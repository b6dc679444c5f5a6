using Detect.Engine.Scheduling;
using Detect.Tasks.Geo.GeoJson;
using Detect.Tasks.Analysis.Sites;
using Detect.Tasks.Native.Gdal;
using Detect.Tasks.Pipeline;

namespace Detect.Tasks.Tests.Pipeline;

/// <summary>The whole Detect graph on synthetic imagery with planted sites and decoys (real GDAL and ONNX Runtime).</summary>
[Collection(DemoRunCollection.Name)]
public sealed class DetectEndToEndTests(DemoRunFixture run)
{
    private string Heatmap => Directory.GetFiles(run.PathOf(run.RunFolder + "heatmaps"), "*_median.tif").Single();

    private static float Sample(GdalDataset raster, double lon, double lat)
    {
        using var srs = raster.SpatialReference();
        using var wgs84 = SpatialReference.Wgs84();
        using var toRaster = new CoordinateTransform(wgs84, srs);
        var (x, y) = toRaster.Transform(lon, lat);
        var (col, row) = raster.GeoTransform.PixelContaining(x, y);
        Span<float> value = stackalloc float[1];
        raster.Read(1, col, row, 1, 1, value);
        return value[0];
    }

    [Fact]
    public void The_run_completes_and_writes_every_documented_output()
    {
        run.FirstRun.RootComplete.Should().BeTrue(run.FirstRun.Render());
        foreach (var key in new[]
                 {
                     $"{run.Detect.ResolvedRunId}.json", "heatmaps/tiles.json", $"{run.Detect.ResolvedRunId}_patch.geojson",
                     "candidates/candidates.geojson", "output/sites.geojson", "output/sites_with_metadata.geojson", "output/contours.geojson",
                 })
            File.Exists(run.PathOf(run.RunFolder + key)).Should().BeTrue(key);
        File.Exists(Heatmap + ".json").Should().BeTrue("blobs of each tile are written even when empty");
    }

    [Fact]
    public void The_heatmap_is_a_float32_cog_with_a_median_band_and_nodata()
    {
        using var raster = GdalDataset.Open(Heatmap);
        raster.DataType(1).Should().Be(GdalDataType.Float32);
        raster.GetBandDescription(1).Should().Be("median");
        raster.GetNoData(1).Should().Be(double.NaN);
        raster.SpatialReference().Epsg.Should().Be(32750, "test_patch lies in UTM zone 50 south");
    }

    [Fact]
    public void The_heatmap_is_high_at_every_planted_site_and_low_at_decoys_and_background()
    {
        using var raster = GdalDataset.Open(Heatmap);
        foreach (var site in run.Truth.Sites) Sample(raster, site.Lon, site.Lat).Should().BeGreaterThan(0.9f, site.Name);
        foreach (var decoy in run.Truth.Decoys) Sample(raster, decoy.Lon, decoy.Lat).Should().BeLessThan(0.1f, decoy.Name);
        var background = run.Truth.Sites.First();
        Sample(raster, background.Lon + 0.004, background.Lat + 0.004).Should().BeLessThan(0.1f, "open land away from any feature");
    }

    [Fact]
    public async Task Every_planted_site_is_confirmed_within_50_m_and_no_decoy_is()
    {
        var sites = SiteFeatures.FromFeatures(GeoJsonReader.ReadFeatures(await File.ReadAllTextAsync(run.PathOf(run.RunFolder + "output/sites.geojson")), "sites.geojson"), "sites.geojson");
        foreach (var planted in run.Truth.Sites)
            sites.Should().Contain(s => Metres(s.Lon, s.Lat, planted.Lon, planted.Lat) <= 50, $"{planted.Name} at {planted.Lat}, {planted.Lon}");
        foreach (var decoy in run.Truth.Decoys)
            sites.Should().NotContain(s => Metres(s.Lon, s.Lat, decoy.Lon, decoy.Lat) <= 100, decoy.Name);
    }

    [Fact]
    public async Task Every_confirmed_site_has_an_h3_id_address_fields_and_contours()
    {
        var sites = GeoJsonReader.ReadFeatures(await File.ReadAllTextAsync(run.PathOf(run.RunFolder + "output/sites_with_metadata.geojson")), "sites_with_metadata.geojson");
        sites.Should().NotBeEmpty();
        foreach (var site in sites)
        {
            site.GetString("id").Should().MatchRegex("^87[0-9a-f]{13}$", "an H3 resolution-7 cell");
            site.GetString("country_code").Should().Be("ID");
            var contours = GeoJsonReader.ReadFeatures(await File.ReadAllTextAsync(run.PathOf(run.RunFolder + $"output/{site.GetString("name")}.geojson")), "site contours");
            contours.Should().NotBeEmpty($"{site.GetString("name")} has contours");
            contours.Should().OnlyContain(c => c.GetDouble("area (km^2)") > 0 && c.Geometry.IsValid);
        }
    }

    internal static double Metres(double lon1, double lat1, double lon2, double lat2)
    {
        var dy = (lat2 - lat1) * 111_320;
        var dx = (lon2 - lon1) * 111_320 * Math.Cos(lat1 * Math.PI / 180);
        return Math.Sqrt(dx * dx + dy * dy);
    }
}
