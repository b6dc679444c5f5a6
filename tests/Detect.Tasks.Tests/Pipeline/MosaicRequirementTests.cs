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

    [Fact]
    public void The_tiles_of_a_mosaic_group_require_one_Mosaic_task_that_builds_every_tile_of_it()
    {
        const string group = "32750_x0036_y1056,32750_x0037_y1056,32750_x0036_y1057,32750_x0037_y1057";
        var heatmap = new Heatmap { RunId = "r1", Tile = Tile, MosaicPeriod = 1, MosaicGroup = group };
        var patches = new PatchTile { RunId = "r1", Tile = "32750_x0036_y1056", MosaicPeriod = 1, MosaicGroup = group };

        var mosaics = heatmap.Requires().OfType<MosaicTask>().Single();

        patches.Requires().OfType<MosaicTask>().Single().Should().Be(mosaics, "the group's tiles share one pass");
        mosaics.Tile.Should().Be("32750_x0036_y1056", "the group's first tile leads");
        mosaics.Tiles.Should().Equal(group.Split(','));
        mosaics.Output().OfType<Detect.Engine.FlagTarget>().Select(f => f.Prefix)
            .Should().Equal(group.Split(',').Select(t => $"runs/r1/mosaics/{t}/"), "each tile keeps its own folder");
        mosaics.Requires().OfType<TileScenes>().Select(s => s.Tile).Should().Equal(group.Split(','), "each tile's mosaics come from its own scene record");
        mosaics.WindowTarget(Tile, mosaics.Windows[0]).Key.Should().StartWith($"runs/r1/mosaics/{Tile}/");
        heatmap.Should().Be(new Heatmap { RunId = "r1", Tile = Tile, MosaicPeriod = 1 }, "the group is not part of the heatmap's identity");
    }

    [Fact]
    public void A_tile_outside_the_group_it_is_given_or_alone_in_it_builds_its_mosaics_alone()
    {
        MosaicTask.Lead(Tile, "").Should().Be((Tile, ""));
        MosaicTask.Lead(Tile, Tile).Should().Be((Tile, ""));
        MosaicTask.Lead(Tile, "32750_x0036_y1056,32750_x0036_y1057").Should().Be((Tile, ""), "the group does not hold the tile");
        MosaicTask.Lead(Tile, $"32750_x0036_y1056,{Tile}").Should().Be(("32750_x0036_y1056", Tile));
    }
}
