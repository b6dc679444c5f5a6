using Detect.Engine.Storage;
using Detect.Tasks.Imagery;
using Detect.Tasks.Mosaics;
using Detect.Tasks.Native.Gdal;
using Detect.Tasks.Tests.Native.Gdal;
using Detect.Tasks.Tests.Imagery;

namespace Detect.Tasks.Tests.Mosaics;

public sealed class MosaicTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly LocalObjectStore _store;
    private readonly SceneFactory _scenes;

    private static readonly RasterGrid TileGrid = SceneFactory.TileGrid;

    public MosaicTests()
    {
        _store = new LocalObjectStore(_dir.File("store"));
        _scenes = new SceneFactory(_store, _dir.File("scratch"));
    }

    public void Dispose() => _dir.Dispose();

    private static DateTimeOffset Day(int month, int day) => new(2020, month, day, 2, 0, 0, TimeSpan.Zero);

    private Task<List<StacItem>> AllItems() => _scenes.ItemsAsync();

    // Scene-level constants per band: exactly reproduced by bilinear resampling from any resolution.
    private static ushort A(int b) => (ushort)(1000 + 10 * b);
    private static ushort B(int b) => (ushort)(900 + 20 * b);
    private static ushort C(int b) => (ushort)(1100 + 5 * b);

    // In tile pixel terms: scene B is clouded on the tile's left half; scene C has cloud-mask nodata (255)
    // on the tile's top 20 rows; scene A is clear everywhere except one pixel.
    private static byte CloudB(int sceneCol, int sceneRow) => sceneCol - 30 < 30 ? (byte)1 : (byte)0;
    private static byte CloudC(int sceneCol, int sceneRow) => sceneRow - 30 < 20 ? (byte)255 : (byte)0;
    private static byte CloudA(int sceneCol, int sceneRow) => sceneCol == 30 + 5 && sceneRow == 30 + 7 ? (byte)1 : (byte)0;

    private async Task<List<StacItem>> WriteThreeScenes()
    {
        await _scenes.WriteAsync("a", Day(1, 5), (b, _, _) => A(b), CloudA);
        await _scenes.WriteAsync("b", Day(1, 15), (b, _, _) => B(b), CloudB);
        await _scenes.WriteAsync("c", Day(2, 1), (b, _, _) => C(b), CloudC);
        return await AllItems();
    }

    private static List<ushort> ClearValues(int band, int col, int row)
    {
        var values = new List<ushort>();
        if (!(col == 5 && row == 7)) values.Add(A(band));
        if (col >= 30) values.Add(B(band));
        if (row >= 20) values.Add(C(band));
        return values;
    }

    [Fact]
    public async Task Min_mosaic_is_the_per_band_minimum_of_clear_observations()
    {
        var mosaic = MosaicBuilder.Build(TileGrid, await WriteThreeScenes(), MosaicMethod.Min);

        for (var row = 0; row < 60; row++)
        for (var col = 0; col < 60; col++)
        {
            var i = row * 60 + col;
            var expectedCount = ClearValues(0, col, row).Count;
            mosaic.Observations[i].Should().Be((ushort)expectedCount, $"pixel ({col},{row})");
            for (var b = 0; b < SentinelBands.Count; b++)
            {
                var clear = ClearValues(b, col, row);
                if (clear.Count == 0) float.IsNaN(mosaic[b, i]).Should().BeTrue($"nothing is clear at ({col},{row})");
                else mosaic[b, i].Should().Be(clear.Min(), $"band {b} pixel ({col},{row})");
            }
        }
    }

    [Fact]
    public async Task Median_mosaic_is_the_per_band_median_of_clear_observations()
    {
        var mosaic = MosaicBuilder.Build(TileGrid, await WriteThreeScenes(), MosaicMethod.Median);

        for (var row = 0; row < 60; row += 3)
        for (var col = 0; col < 60; col++)
        {
            var i = row * 60 + col;
            for (var b = 0; b < SentinelBands.Count; b++)
            {
                var v = ClearValues(b, col, row).Order().ToList();
                if (v.Count == 0) { float.IsNaN(mosaic[b, i]).Should().BeTrue(); continue; }
                var expected = v.Count % 2 == 1 ? v[v.Count / 2] : (v[v.Count / 2 - 1] + v[v.Count / 2]) / 2f;
                mosaic[b, i].Should().Be(expected, $"band {b} pixel ({col},{row})");
            }
        }
        float.IsNaN(mosaic[0, 7 * 60 + 5]).Should().BeTrue("A is clouded, B clouded and C nodata there");
        mosaic[3, 7 * 60 + 35].Should().Be((A(3) + B(3)) / 2f, "an even count takes the mean of the middle two");
    }

    [Fact]
    public async Task Fully_clouded_window_is_nodata_not_zero()
    {
        await _scenes.WriteAsync("cloudy1", Day(3, 1), (b, _, _) => 3000, (_, _) => 1);
        await _scenes.WriteAsync("cloudy2", Day(3, 11), (b, _, _) => 3000, (c, _) => c % 2 == 0 ? (byte)1 : (byte)255);

        foreach (var method in new[] { MosaicMethod.Min, MosaicMethod.Median })
        {
            var mosaic = MosaicBuilder.Build(TileGrid, await AllItems(), method);
            mosaic.ValidFraction.Should().Be(0);
            mosaic.Data.Should().OnlyContain(v => float.IsNaN(v));
        }
    }

    [Fact]
    public async Task Band_nodata_pixels_are_excluded_even_where_the_mask_is_clear()
    {
        // Band 4 (rededge1, 20 m) is 0 (nodata) west of the tile's column 20 (easting Left + 500).
        await _scenes.WriteAsync("holes", Day(4, 1), (b, x, _) => b == 4 && x < SceneFactory.Left + 500 ? (ushort)0 : (ushort)2000, (_, _) => 0);

        var mosaic = MosaicBuilder.Build(TileGrid, await AllItems(), MosaicMethod.Min);

        for (var col = 0; col < 60; col++)
        {
            var valid = mosaic.IsValid(10 * 60 + col);
            if (col < 19) valid.Should().BeFalse($"column {col} lies over band nodata");
            if (col >= 21) valid.Should().BeTrue($"column {col} is clear");
            if (valid) mosaic[4, 10 * 60 + col].Should().Be(2000);
        }
    }

    [Fact]
    public async Task Twenty_and_sixty_metre_bands_are_resampled_bilinearly_to_the_tile()
    {
        // A plane in easting/northing on every band: bilinear reproduces it at every 10 m pixel centre.
        static double Plane(int b, double x, double y) => 1000 + b + (x - SceneFactory.Left) * 0.5 + (SceneFactory.Top - y) * 0.25;
        await _scenes.WriteAsync("plane", Day(5, 1), (b, x, y) => (ushort)Math.Round(Plane(b, x, y)), (_, _) => 0);

        var mosaic = MosaicBuilder.Build(TileGrid, await AllItems(), MosaicMethod.Min);

        foreach (var b in new[] { 0, 1, 4, 9 }) // 60, 10, 20, 60 m
        for (var row = 0; row < 60; row += 7)
        for (var col = 0; col < 60; col += 5)
        {
            var (x, y) = TileGrid.Transform.PixelCenter(col, row);
            mosaic[b, row * 60 + col].Should().BeApproximately((float)Plane(b, x, y), 1.01f, $"band {b} ({col},{row})");
        }
    }

    [Fact]
    public async Task Scenes_that_miss_the_tile_are_not_read_and_a_corrupt_overlapping_one_names_item_and_asset()
    {
        var items = await WriteThreeScenes();
        var farGrid = new RasterGrid(SceneFactory.Epsg, GeoTransform.NorthUp(SceneFactory.Left + 50_000, SceneFactory.Top, 10), 10, 10);
        File.WriteAllText(_store.PathOf("imagery/assets/b/nir09.tif"), "garbage");

        MosaicBuilder.Build(farGrid, items, MosaicMethod.Min).ValidFraction.Should().Be(0);
        var act = () => MosaicBuilder.Build(TileGrid, items, MosaicMethod.Min);
        act.Should().Throw<ImageryException>().WithMessage("*'b'*nir09*");
    }

    [Fact]
    public async Task Mosaic_cog_round_trips_with_band_names_and_nan_nodata()
    {
        var mosaic = MosaicBuilder.Build(TileGrid, await WriteThreeScenes(), MosaicMethod.Min);
        mosaic.Band(0)[0] = float.NaN;
        mosaic.Observations[0] = 0;
        var path = _dir.File("mosaic.tif");

        MosaicCog.Write(mosaic, path);
        var back = MosaicCog.Read(path);

        back.Grid.Should().Be(mosaic.Grid);
        back.Data.Should().Equal(mosaic.Data, (a, b) => a.Equals(b));
        var info = Tools.GdalInfo(path);
        info.Should().Contain("Description = B8A").And.Contain("LAYOUT=COG").And.Contain("NoData Value=nan")
            .And.Contain("COMPRESSION=ZSTD", "mosaic COGs are written with ZSTD, several times faster than DEFLATE 6");
    }

    [Fact]
    public void Windows_follow_the_original_month_start_ranges()
    {
        var windows = MosaicWindows.Build(new DateOnly(2019, 1, 1), new DateOnly(2021, 6, 1), 3);
        windows.Should().HaveCount(9);
        windows[0].Id.Should().Be("2019-01-01_2019-04-01");
        windows[^1].Id.Should().Be("2021-01-01_2021-04-01");
        MosaicWindows.Pairs(windows, 2).Should().HaveCount(7).And.StartWith((windows[0], windows[2]));
        var act = () => MosaicWindows.Build(new DateOnly(2020, 1, 1), new DateOnly(2020, 2, 1), 3);
        act.Should().Throw<ArgumentException>().WithMessage("*mosaic_period*");
    }
}
