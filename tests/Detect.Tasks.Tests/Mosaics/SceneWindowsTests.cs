using Detect.Engine.Storage;
using Detect.Tasks.Imagery;
using Detect.Tasks.Mosaics;
using Detect.Tasks.Native.Gdal;
using Detect.Tasks.Tests.Imagery;
using Detect.Tasks.Tests.Native.Gdal;

namespace Detect.Tasks.Tests.Mosaics;

/// <summary>
/// Neighbouring grids built in one pass read each scene raster once, and each gets exactly the mosaic it gets alone:
/// windows cut from the shared union are the windows a grid reads by itself.
/// </summary>
public sealed class SceneWindowsTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly LocalObjectStore _store;
    private readonly SceneFactory _scenes;

    public SceneWindowsTests()
    {
        _store = new LocalObjectStore(_dir.File("store"));
        _scenes = new SceneFactory(_store, _dir.File("scratch"));
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// 2 × 2 grids of 40 px at 10 m from 310 m inside the scenes' corner, and a fifth reaching 110 m past the scenes'
    /// edges (nodata there; the scenes do not cover it, so it reads alone); origins 10 m off the 20 m and 60 m
    /// lattices, so those bands are resampled.
    /// </summary>
    private static readonly IReadOnlyList<RasterGrid> Group =
    [
        .. from row in Enumerable.Range(0, 2)
           from col in Enumerable.Range(0, 2)
           select new RasterGrid(SceneFactory.Epsg,
               GeoTransform.NorthUp(SceneFactory.Left + 310 + 400 * col, SceneFactory.Top - 310 - 400 * row, 10), 40, 40),
        new RasterGrid(SceneFactory.Epsg, GeoTransform.NorthUp(SceneFactory.Left + 910, SceneFactory.Top - 910, 10), 40, 40),
    ];

    private static SceneAccess Access() => new(null, ImageryOptions.Store, new Dictionary<string, BucketAccess>());

    private async Task<List<RecordedScene>> WriteScenesAsync()
    {
        for (var k = 0; k < 4; k++)
        {
            var date = new DateTimeOffset(2020, 3, 1 + 5 * k, 2, 0, 0, TimeSpan.Zero);
            var seed = k;
            // DNs vary with band, place and date; clouds in 70 m cells, a different third of them each date.
            await _scenes.WriteAsync($"s{k}", date,
                (b, x, y) => (ushort)(1 + (b * 131 + (int)(x - SceneFactory.Left) * 7 + (int)(SceneFactory.Top - y) * 3 + seed * 977) % 9000),
                (c, r) => (c / 7 + r / 7 + seed) % 3 == 0 ? (byte)1 : SentinelBands.Clear);
        }
        return [.. (await _scenes.ItemsAsync()).Select(RecordedScene.WithCloudAsset)];
    }

    [Theory]
    [InlineData(MosaicMethod.Min)]
    [InlineData(MosaicMethod.Median)]
    public async Task Each_grid_of_a_group_gets_exactly_the_mosaic_it_gets_alone(MosaicMethod method)
    {
        var scenes = await WriteScenesAsync();

        var together = MosaicBuilder.Build(Group, [.. Group.Select(_ => (IReadOnlyList<RecordedScene>)scenes)], method, Access());

        for (var g = 0; g < Group.Count; g++)
        {
            var alone = MosaicBuilder.Build(Group[g], scenes, method, Access());
            together[g].Observations.Should().Equal(alone.Observations, $"grid {g}");
            together[g].Data.Should().Equal(alone.Data, $"grid {g}");
            alone.Observations.Should().Contain(o => o > 1, "several dates are clear somewhere");
        }
        together[4].Observations.Should().Contain(o => o == 0, "the last grid reaches past the scenes' edges");
    }

    [Fact]
    public async Task A_group_reads_each_scene_raster_once_and_a_grid_outside_a_raster_gets_none()
    {
        var scenes = await WriteScenesAsync();
        var windows = new SceneWindows(Access(), Group);
        var scene = scenes[0];
        var asset = SentinelBands.All[1].Asset;
        var outside = new RasterGrid(SceneFactory.Epsg, GeoTransform.NorthUp(SceneFactory.Left + 5000, SceneFactory.Top, 10), 20, 20);
        var withOutside = new SceneWindows(Access(), [Group[0], outside]);

        var cut = Group.Select(g => windows.Read<ushort>(scene, asset, scene.Href(asset), g, margin: 2)).ToList();

        windows.RastersRead.Should().Be(1, "the first grid reads the union; the others cut their windows from it");
        for (var g = 0; g < Group.Count; g++)
        {
            using var source = Access().Open(scene.Id, asset, scene.Href(asset));
            var alone = SourceWindow.ReadValues<ushort>(source, Group[g], margin: 2)!;
            cut[g]!.Lattice.Should().Be(alone.Lattice, $"grid {g}'s window lies where its own read puts it");
            cut[g]!.Data.Should().Equal(alone.Data, $"grid {g}");
        }
        withOutside.Read<ushort>(scene, asset, scene.Href(asset), outside, margin: 2).Should().BeNull("the grid misses the raster");
        withOutside.Read<ushort>(scene, asset, scene.Href(asset), Group[0], margin: 2).Should().NotBeNull();
        windows.Release(scene.Id);
        windows.Read<ushort>(scene, asset, scene.Href(asset), Group[3], margin: 2);
        windows.RastersRead.Should().Be(2, "a released scene is read again when asked for");
    }

    [Fact]
    public async Task A_grid_the_scene_does_not_cover_reads_alone_and_does_not_widen_the_union()
    {
        var scenes = await WriteScenesAsync();
        var outlines = Group.Select(Detect.Tasks.Geo.GridFootprint.Wgs84).ToList();
        var windows = new SceneWindows(Access(), Group, outlines);
        var (scene, asset) = (scenes[0], SentinelBands.All[3].Asset);

        foreach (var grid in Group) windows.Read<ushort>(scene, asset, scene.Href(asset), grid, margin: 2).Should().NotBeNull();

        windows.RastersRead.Should().Be(2, "one union for the four covered grids, one read alone for the grid past the edge");
    }
}
