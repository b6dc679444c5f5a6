using Detect.Engine.Scheduling;
using Detect.Tasks.Mosaics;
using Detect.Tasks.Native.Gdal;
using Detect.Tasks.Pipeline;
using Detect.Tasks.Tiling;

namespace Detect.Tasks.Tests.Pipeline;

[Collection(DemoRunCollection.Name)]
public sealed class MosaicTaskTests(DemoRunFixture run)
{
    [Fact]
    public async Task Mosaic_writes_one_twelve_band_cog_per_window_then_the_success_marker()
    {
        var tile = Directory.GetFiles(run.PathOf(run.RunFolder + "heatmaps"), "*_median.tif").Single();
        var tileId = Path.GetFileName(tile)[..^"_median.tif".Length];
        var task = new MosaicTask { RunId = run.Detect.ResolvedRunId, Tile = tileId };

        var summary = await new Scheduler(DemoRunFixture.Registry, run.Resolver).RunAsync(task);

        summary.RootComplete.Should().BeTrue(summary.Render());
        var folder = run.PathOf(run.RunFolder + $"mosaics/{tileId}/");
        var windows = MosaicWindows.Build(new(2019, 1, 1), new(2021, 6, 1), 3);
        Directory.GetFiles(folder).Select(Path.GetFileName).Should().BeEquivalentTo(windows.Select(w => w.Id + ".tif").Append("_SUCCESS"));
        using var first = GdalDataset.Open(Path.Combine(folder, windows[0].Id + ".tif"));
        first.BandCount.Should().Be(12);
        first.GetBandDescription(1).Should().Be("B01");
        first.GetBandDescription(12).Should().Be("B12");
        first.Width.Should().Be(Tile.Parse(tileId).PaddedGrid.Width);
        var site = run.Truth.Sites.First();
        first.SampleAt(site.Lon, site.Lat, band: 4).Should().BeInRange(1000, 3000, "the red DN of the planted site");
    }
}
