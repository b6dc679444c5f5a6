using System.Globalization;
using Detect.Engine.Storage;
using Detect.Tasks.Imagery;
using Detect.Tasks.Mosaics;
using Detect.Tasks.Native.Gdal;
using Detect.Synthetic;
using Detect.Tasks.Tests.Native.Gdal;
using NetTopologySuite.Geometries;

namespace Detect.Tasks.Tests.Synthetic;

public sealed class SyntheticImageryTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    // ~2 x 2 km around the Temesi landfill (as test_patch).
    private static readonly Geometry Roi = new GeometryFactory(new PrecisionModel(), 4326)
        .ToGeometry(new Envelope(115.38, 115.398, -8.548, -8.530));

    private static SyntheticOptions Options(int seed) => new()
    {
        Roi = Roi, Start = new DateOnly(2020, 1, 1), End = new DateOnly(2020, 2, 1), Seed = seed, RevisitDays = 10,
    };

    private async Task<(LocalObjectStore Store, SyntheticTruth Truth)> Generate(string name, int seed, int days = 31)
    {
        var store = new LocalObjectStore(_dir.File(name));
        var options = Options(seed) with { End = new DateOnly(2020, 1, 1).AddDays(days) };
        var truth = await SyntheticImageryGenerator.GenerateAsync(store, options, _dir.File(name + "-scratch"));
        return (store, truth);
    }

    [Fact]
    public async Task Writes_contract_items_with_native_resolutions_and_a_truth_file()
    {
        var (store, truth) = await Generate("a", 7);

        truth.Epsg.Should().Be(32750);
        truth.ItemKeys.Should().HaveCount(4); // Jan 1, 11, 21, 31
        truth.Sites.Should().HaveCount(3);
        truth.Decoys.Should().HaveCount(4).And.Contain(d => d.Spectrum == "urban").And.Contain(d => d.Spectrum == "bare_soil");
        truth.Features.Should().OnlyContain(f => Roi.Contains(Roi.Factory.CreatePoint(new Coordinate(f.Lon, f.Lat))));
        (await store.ExistsAsync(SyntheticTruth.Key)).Should().BeTrue();
        GeoJsonPointCount(await File.ReadAllTextAsync(store.PathOf(SyntheticTruth.Key))).Should().Be(7);

        var items = await SceneCatalog.FindAsync(store, Roi, new DateOnly(2020, 1, 1), new DateOnly(2020, 2, 1));
        items.Should().HaveCount(4);
        SceneCatalog.EnsureReadable(items[0]);
        foreach (var band in SentinelBands.All)
        {
            using var ds = items[0].OpenAsset(band.Asset);
            ds.GeoTransform.PixelWidth.Should().Be(band.ResolutionMetres);
            ds.DataType(1).Should().Be(GdalDataType.UInt16);
            ds.GetNoData(1).Should().Be(0);
            using var srs = ds.SpatialReference();
            srs.Epsg.Should().Be(32750);
        }
        using var cloud = items[0].OpenAsset(SentinelBands.CloudAsset);
        cloud.DataType(1).Should().Be(GdalDataType.Byte);
        cloud.ReadBand<byte>(1).Should().OnlyContain(v => v == 0 || v == 1);
    }

    // ~2 x 2 km near Kuta (as bali_foot): the same UTM zone as Roi, 25 km away.
    private static readonly Geometry OtherRoi = new GeometryFactory(new PrecisionModel(), 4326)
        .ToGeometry(new Envelope(115.169, 115.187, -8.778, -8.760));

    [Fact]
    public async Task Imagery_of_two_areas_in_one_store_coexists_each_area_keeps_its_scenes()
    {
        // Once both areas' items were SYN_<epsg>_<date>: the second area replaced the first's and a run there found
        // "No scenes ... cover tile".
        var store = new LocalObjectStore(_dir.File("shared"));
        var first = await SyntheticImageryGenerator.GenerateAsync(store, Options(3), _dir.File("s1"), publishTruth: false);
        var second = await SyntheticImageryGenerator.GenerateAsync(store, Options(3) with { Roi = OtherRoi }, _dir.File("s2"), publishTruth: false);

        second.Epsg.Should().Be(first.Epsg);
        second.ItemKeys.Should().HaveCount(4).And.NotIntersectWith(first.ItemKeys);
        foreach (var (roi, truth) in new[] { (Roi, first), (OtherRoi, second) })
        {
            var items = await SceneCatalog.FindAsync(store, roi, new DateOnly(2020, 1, 1), new DateOnly(2020, 2, 1));
            items.Select(i => SceneCatalog.ItemsPrefix + i.Id + ".json").Should().BeEquivalentTo(truth.ItemKeys, "each area finds its own four scenes");
            items.Should().OnlyContain(i => i.Footprint.Covers(roi));
        }
    }

    private static int GeoJsonPointCount(string json) => json.Split("\"Point\"").Length - 1;

    [Fact]
    public async Task Same_seed_same_output_other_seed_other_sites()
    {
        var (storeA, truthA) = await Generate("a", 11, days: 15);
        var (storeB, truthB) = await Generate("b", 11, days: 15);
        var (_, truthC) = await Generate("c", 12, days: 1);

        truthB.Features.Should().Equal(truthA.Features);
        truthB.ItemKeys.Should().Equal(truthA.ItemKeys);
        var key = $"imagery/assets/{Path.GetFileNameWithoutExtension(truthA.ItemKeys[1])}/nir.tif";
        File.ReadAllBytes(storeB.PathOf(key)).Should().Equal(File.ReadAllBytes(storeA.PathOf(key)));
        truthC.Features.Select(f => f.Lon).Should().NotEqual(truthA.Features.Select(f => f.Lon));
    }

    [Fact]
    public async Task Site_centres_carry_the_site_spectrum_in_the_mosaic_and_decoys_their_own()
    {
        var options = Options(3) with { CloudCover = 0.1 };
        var store = new LocalObjectStore(_dir.File("m"));
        var truth = await SyntheticImageryGenerator.GenerateAsync(store, options, _dir.File("m-scratch"));
        var items = await SceneCatalog.FindAsync(store, Roi, options.Start, options.End);

        // One grid over all features, on the 10 m lattice of the scenes.
        var minX = Math.Floor(truth.Features.Min(f => f.X) / 10) * 10 - 200;
        var maxY = Math.Floor(truth.Features.Max(f => f.Y) / 10) * 10 + 210;
        var width = (int)((truth.Features.Max(f => f.X) + 200 - minX) / 10);
        var height = (int)((maxY - truth.Features.Min(f => f.Y) + 200) / 10);
        var grid = new RasterGrid(truth.Epsg, GeoTransform.NorthUp(minX, maxY, 10), width, height);
        var mosaic = MosaicBuilder.Build(grid, items, MosaicMethod.Median);
        foreach (var feature in truth.Features)
        {
            var (col, row) = grid.Transform.PixelContaining(feature.X, feature.Y);
            var pixel = row * width + col;
            mosaic.IsValid(pixel).Should().BeTrue($"{feature.Name} should be seen clear at least once");
            var expected = feature.Kind == "site" ? options.SiteSpectrum
                : options.DecoySpectra.Single(s => s.Name == feature.Spectrum);
            foreach (var b in new[] { 1, 2, 3, 7 }) // the 10 m bands: no mixing with the surroundings
                mosaic[b, pixel].Should().BeApproximately(expected.Dns[b], expected.Dns[b] * 0.08f,
                    string.Create(CultureInfo.InvariantCulture, $"{feature.Name} band {SentinelBands.All[b].Band}"));
            foreach (var b in new[] { 0, 4, 9, 11 }) // 60 m and 20 m bands: resampled, the disc is wide enough to dominate
                mosaic[b, pixel].Should().BeApproximately(expected.Dns[b], expected.Dns[b] * 0.15f,
                    string.Create(CultureInfo.InvariantCulture, $"{feature.Name} band {SentinelBands.All[b].Band}"));
        }
    }

    [Fact]
    public async Task Sites_get_their_layout_surround_and_core_on_land()
    {
        var options = Options(5) with { CloudCover = 0, End = new DateOnly(2020, 1, 12) };
        var store = new LocalObjectStore(_dir.File("l"));
        var truth = await SyntheticImageryGenerator.GenerateAsync(store, options, _dir.File("l-scratch"));
        var items = await SceneCatalog.FindAsync(store, Roi, options.Start, options.End);
        var layout = options.SiteLayout;
        const int nir = 7;

        foreach (var site in truth.Sites)
        {
            var reach = (int)(layout.WaterFreeRadiusMetres / 10);
            var left = Math.Floor(site.X / 10) * 10 - reach * 10;
            var top = Math.Floor(site.Y / 10) * 10 + (reach + 1) * 10;
            var size = 2 * reach + 1;
            var grid = new RasterGrid(truth.Epsg, GeoTransform.NorthUp(left, top, 10), size, size);
            var mosaic = MosaicBuilder.Build(grid, items, MosaicMethod.Median);
            float Band(int b, double east, double north)
            {
                var (col, row) = grid.Transform.PixelContaining(site.X + east, site.Y + north);
                return mosaic[b, row * size + col];
            }
            foreach (var (east, expected) in new[] { (0.0, options.SiteSpectrum), (layout.CoreOffsetMetres, layout.Core!),
                         ((layout.DiscRadiusMetres + layout.SurroundRadiusMetres) / 2, layout.Surround) })
                foreach (var b in new[] { 1, 2, 3, nir })
                    Band(b, east, 0).Should().BeApproximately(expected.Dns[b], expected.Dns[b] * 0.08f, $"{site.Name} {expected.Name} band {b}");
            for (var r = 0; r < size; r++)
            for (var c = 0; c < size; c++)
            {
                var (x, y) = grid.Transform.PixelCenter(c, r);
                if (Math.Sqrt((x - site.X) * (x - site.X) + (y - site.Y) * (y - site.Y)) > layout.WaterFreeRadiusMetres - 10) continue;
                mosaic[nir, r * size + c].Should().BeGreaterThan(1000, $"no water (NIR {SiteSpectra.Water.Dns[nir]}) near {site.Name}");
            }
        }
    }
}

public sealed class TileMosaicsTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Every_roi_tile_gets_one_mosaic_per_window_on_its_padded_grid()
    {
        var roi = new GeometryFactory(new PrecisionModel(), 4326).ToGeometry(new Envelope(115.385, 115.392, -8.540, -8.533));
        var store = new LocalObjectStore(_dir.File("s"));
        var options = new SyntheticOptions
        {
            Roi = roi, Start = new DateOnly(2020, 1, 1), End = new DateOnly(2020, 3, 1), RevisitDays = 15,
            SiteCount = 1, DecoyCount = 0, MinSpacingMetres = 0, CloudCover = 0,
        };
        await SyntheticImageryGenerator.GenerateAsync(store, options, _dir.File("scratch"));
        var scheme = new Detect.Tasks.Tiling.TileScheme(TileSize: 40, Pad: 5);
        var tiles = Detect.Tasks.Tiling.RoiTiler.Cover(roi, scheme);
        var windows = MosaicWindows.Build(options.Start, options.End, 1);

        tiles.Count.Should().BeGreaterThan(1);
        foreach (var tile in tiles)
        {
            var record = await SceneSearch.SearchAsync(store, ImageryOptions.Store, tile.PaddedFootprintWgs84(), options.Start, options.End);
            record.Scenes.Should().HaveCount(4);
            var mosaics = TileMosaics.Build(tile, record, new SceneAccess(store, ImageryOptions.Store, record.Buckets), windows, MosaicMethod.Min).ToList();
            mosaics.Select(m => m.Window.Id).Should().Equal("2020-01-01_2020-02-01", "2020-02-01_2020-03-01");
            foreach (var (_, mosaic) in mosaics)
            {
                mosaic.Grid.Should().Be(tile.PaddedGrid);
                mosaic.Grid.Width.Should().Be(50);
                mosaic.ValidFraction.Should().Be(1, "no clouds and the scenes cover the ROI with a margin");
            }
        }
        TileMosaics.Key("r1", tiles[0], windows[0]).Should().Be($"runs/r1/mosaics/{tiles[0].Id}/2020-01-01_2020-02-01.tif");
    }
}
