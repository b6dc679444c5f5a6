using Detect.Tasks.Mosaics;
using Detect.Tasks.Pipeline;

namespace Detect.Tasks.Tests.Pipeline;

/// <summary>One mosaic pass per tile: Heatmap and PatchTile of a tile require the same Mosaic task, which alone reads scenes.</summary>
public sealed class MosaicRequirementTests
{
    private const string Tile = "32750_x0037_y1057";

    [Fact]
    public void Heatmap_and_PatchTile_of_a_tile_require_one_and_the_same_min_Mosaic()
    {
        var heatmap = new Heatmap { RunId = "r1", Tile = Tile, MosaicPeriod = 1 };
        var patches = new PatchTile { RunId = "r1", Tile = Tile, MosaicPeriod = 1 };

        var fromHeatmap = heatmap.Requires().OfType<MosaicTask>().Single();
        var fromPatches = patches.Requires().OfType<MosaicTask>().Single();

        fromHeatmap.Should().Be(fromPatches, "both read the same COGs");
        fromHeatmap.Method.Should().Be(MosaicMethod.Min, "both models were trained on min mosaics");
        fromHeatmap.MosaicPeriod.Should().Be(1, "the run's period is passed on: monthly mosaics");
        fromHeatmap.Folder.Prefix.Should().Be($"runs/r1/mosaics/{Tile}/");
        heatmap.Requires().OfType<TileScenes>().Should().BeEmpty("only the Mosaic task reads the scene record");
        patches.Requires().OfType<TileScenes>().Should().BeEmpty();
    }

    [Fact]
    public void A_median_Mosaic_lives_apart_from_the_min_mosaics_the_models_read()
    {
        var min = new MosaicTask { RunId = "r1", Tile = Tile };
        var median = new MosaicTask { RunId = "r1", Tile = Tile, Method = MosaicMethod.Median };

        median.Folder.Prefix.Should().Be($"runs/r1/mosaics-median/{Tile}/");
        median.Output().Should().NotIntersectWith(min.Output(), "a median run must not stand in for the min mosaics");
        min.WindowTarget(min.Windows[0]).Key.Should().Be($"runs/r1/mosaics/{Tile}/2019-01-01_2019-04-01.tif");
        min.Windows.Should().HaveCount(9, "2019-01-01 … 2021-06-01 in 3-month windows");
    }
}
