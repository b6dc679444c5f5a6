using Detect.Engine.Storage;
using Detect.Tasks.Imagery;
using Detect.Tasks.Mosaics;
using Detect.Tasks.Native.Gdal;
using Detect.Tasks.Tests.Native.Gdal;
using Detect.Tasks.Tests.Imagery;

namespace Detect.Tasks.Tests.Mosaics;

/// <summary>Granules of one pass (neighbouring MGRS tiles listing the same pixels) count as one observation.</summary>
public sealed class AcquisitionReaderTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly LocalObjectStore _store;
    private readonly SceneFactory _scenes;

    private static readonly RasterGrid TileGrid = SceneFactory.TileGrid;

    private static readonly DateTimeOffset Pass = new(2020, 3, 1, 2, 0, 0, TimeSpan.Zero);

    public AcquisitionReaderTests()
    {
        _store = new LocalObjectStore(_dir.File("store"));
        _scenes = new SceneFactory(_store, _dir.File("scratch"));
    }

    public void Dispose() => _dir.Dispose();

    private static ushort West(int b) => (ushort)(1000 + b);
    private static ushort East(int b) => (ushort)(3000 + b);

    /// <summary>A granule with data only where <paramref name="hasData"/> holds (by easting), nodata elsewhere in bands and mask.</summary>
    private Task WriteGranule(string id, DateTimeOffset datetime, Func<int, ushort> dn, Func<double, bool> hasData) =>
        _scenes.WriteAsync(id, datetime, (b, x, _) => hasData(x) ? dn(b) : SentinelBands.NoData,
            (c, _) => hasData(SceneFactory.Left + 10 * c + 5) ? SentinelBands.Clear : SentinelBands.CloudNoData);

    private async Task<List<RecordedScene>> Scenes() => [.. (await _scenes.ItemsAsync()).Select(RecordedScene.WithCloudAsset)];

    private static SceneAccess Access() => new(null, ImageryOptions.Store, new Dictionary<string, BucketAccess>());

    [Fact]
    public async Task Overlapping_granules_of_one_pass_give_one_observation_per_pixel_the_first_granule_winning_the_overlap()
    {
        // g1 has data west of Left + 600 (tile columns 0-29), g2 east of Left + 500 (columns 20-59), 2 s apart.
        await WriteGranule("g1", Pass, West, x => x < SceneFactory.Left + 600);
        await WriteGranule("g2", Pass.AddSeconds(2), East, x => x >= SceneFactory.Left + 500);

        var mosaic = MosaicBuilder.Build(TileGrid, await Scenes(), MosaicMethod.Min, Access());

        for (var row = 0; row < 60; row++)
        for (var col = 0; col < 60; col++)
        {
            var i = row * 60 + col;
            mosaic.Observations[i].Should().Be(1, $"pixel ({col},{row}) is seen once by the pass");
            var fromWest = Enumerable.Range(0, SentinelBands.Count).All(b => mosaic[b, i] == West(b));
            var fromEast = Enumerable.Range(0, SentinelBands.Count).All(b => mosaic[b, i] == East(b));
            (fromWest || fromEast).Should().BeTrue($"all 12 bands of ({col},{row}) come from one granule");
            if (col <= 15) fromWest.Should().BeTrue($"({col},{row}) lies where g1 has data, and g1 comes first");
            if (col >= 30) fromEast.Should().BeTrue($"({col},{row}) lies where only g2 has data");
        }
    }

    [Fact]
    public async Task A_second_granule_is_not_read_when_the_first_covers_the_grid()
    {
        await WriteGranule("g1", Pass, West, _ => true);
        await WriteGranule("g2", Pass.AddSeconds(3), East, _ => true);
        var reader = new AcquisitionReader(TileGrid, Detect.Tasks.Geo.GridFootprint.Wgs84(TileGrid), new SceneWindows(Access(), [TileGrid]));

        var acquisitions = Acquisitions.Of(await Scenes());
        acquisitions.Should().ContainSingle().Which.Should().HaveCount(2);
        var (bands, state, clear) = reader.Read(acquisitions[0]);

        reader.GranulesRead.Should().Be(1);
        clear.Should().Be(TileGrid.PixelCount);
        state.Should().OnlyContain(s => s == PixelState.Clear);
        bands[3 * TileGrid.PixelCount + 100].Should().Be(West(3));
    }

    [Fact]
    public async Task Passes_an_orbit_apart_on_one_day_stay_two_observations()
    {
        await WriteGranule("morning", Pass, West, _ => true);
        await WriteGranule("next-orbit", Pass.AddMinutes(101), East, _ => true);

        var scenes = await Scenes();
        Acquisitions.Of(scenes).Should().HaveCount(2);
        var mosaic = MosaicBuilder.Build(TileGrid, scenes, MosaicMethod.Median, Access());

        mosaic.Observations.Should().OnlyContain(o => o == 2);
        mosaic[5, 1000].Should().Be((West(5) + East(5)) / 2f);
    }

    [Fact]
    public void Scenes_are_grouped_in_time_order_whatever_order_they_come_in()
    {
        var point = new NetTopologySuite.Geometries.GeometryFactory().CreatePoint(new NetTopologySuite.Geometries.Coordinate(115, -8));
        RecordedScene At(string id, DateTimeOffset t) => new(id, t, point, new Dictionary<string, string>(), new SceneMask(CloudMaskMode.None));
        var scenes = new[] { At("c", Pass.AddDays(10)), At("b", Pass.AddSeconds(20)), At("a", Pass), At("d", Pass.AddDays(10).AddMinutes(4)) };

        var groups = Acquisitions.Of(scenes);

        groups.Select(g => string.Join("+", g.Select(s => s.Id))).Should().Equal("a+b", "c+d");
    }
}
