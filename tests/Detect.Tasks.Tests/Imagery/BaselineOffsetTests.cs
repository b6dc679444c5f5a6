using System.Text.Json.Nodes;
using Detect.Engine;
using Detect.Engine.Scheduling;
using Detect.Engine.Storage;
using Detect.Tasks.Geo.GeoJson;
using Detect.Tasks.Imagery;
using Detect.Tasks.Models;
using Detect.Tasks.Native.Gdal;
using Detect.Tasks.Pipeline;
using Detect.Synthetic;
using Detect.Tasks.Tiling;

namespace Detect.Tasks.Tests.Imagery;

/// <summary>
/// Processing baseline 04.00 adds 1000 DN to every L1C pixel but nodata: a scene with the offset (and its baseline
/// saying so) and its un-offset twin must give the very same heatmap.
/// </summary>
public sealed class BaselineOffsetTests : IAsyncLifetime
{
    private static readonly DateOnly Start = new(2019, 1, 1), End = new(2019, 10, 1);
    private readonly string _root = Directory.CreateTempSubdirectory("detect-baseline-").FullName;
    private LocalObjectStore _plain = null!, _offset = null!;

    public async Task InitializeAsync()
    {
        var roiFile = Path.Combine(RepositoryRoot.SharedData, "roi", "test_patch.geojson");
        _plain = new LocalObjectStore(Path.Combine(_root, "plain"));
        _offset = new LocalObjectStore(Path.Combine(_root, "offset"));
        await SyntheticImageryGenerator.GenerateAsync(_plain, new SyntheticOptions
        {
            Roi = GeoJsonReader.ReadAreaFile(roiFile), Start = Start, End = End, RevisitDays = 30,
        }, Directory.CreateDirectory(Path.Combine(_root, "scratch")).FullName, publishTruth: false);
        await new ModelImporter().ImportAsync(Path.Combine(RepositoryRoot.SharedData, "models", "keras"), _plain);
        foreach (var key in await _plain.ListAsync(""))
        {
            var target = _offset.PathOf(key);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (key.StartsWith(SceneCatalog.ItemsPrefix, StringComparison.Ordinal))
            {
                // The twin item states baseline 05.00: its bands (below) carry the offset.
                var item = JsonNode.Parse(await File.ReadAllTextAsync(_plain.PathOf(key)))!;
                item["properties"]!["s2:processing_baseline"] = "05.00";
                await File.WriteAllTextAsync(target, item.ToJsonString());
            }
            else if (key.StartsWith("imagery/assets/", StringComparison.Ordinal) && !key.EndsWith("/cloud.tif", StringComparison.Ordinal))
                WriteWithOffset(_plain.PathOf(key), target);
            else File.Copy(_plain.PathOf(key), target);
        }
    }

    private static void WriteWithOffset(string source, string target)
    {
        using var ds = GdalDataset.Open(source);
        var values = ds.ReadBand<ushort>(1);
        for (var i = 0; i < values.Length; i++) if (values[i] != 0) values[i] += ProcessingBaseline.Offset;
        using var srs = ds.SpatialReference();
        Cog.Write<ushort>(target, new RasterGrid(srs.Epsg!.Value, ds.GeoTransform, ds.Width, ds.Height), [values], [ds.GetBandDescription(1)], 0);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }

    private async Task<float[]> HeatmapAsync(LocalObjectStore store)
    {
        var roi = GeoJsonReader.ReadAreaFile(Path.Combine(RepositoryRoot.SharedData, "roi", "test_patch.geojson"));
        await store.PublishFileAsync("boundaries/test_patch.geojson", Path.Combine(RepositoryRoot.SharedData, "roi", "test_patch.geojson"));
        var task = new Heatmap
        {
            RunId = "twin", Tile = RoiTiler.Cover(roi).Single().Id, StartDate = Start, EndDate = End, Device = Inference.InferenceDevice.Cpu,
        };
        using var resolver = new TargetResolver(store, Path.Combine(_root, "cache"));
        var summary = await new Scheduler(new TaskRegistry(TasksAssembly.Assembly), resolver,
            new SchedulerOptions { StagingDirectory = Path.Combine(_root, "staging") }).RunAsync(task);
        summary.RootComplete.Should().BeTrue(summary.Render());
        var record = SceneRecordJson.Read(await File.ReadAllTextAsync(store.PathOf(task.Mosaics.Scenes.Record.Key)), "record");
        record.Scenes.Should().NotBeEmpty();
        record.Scenes.Should().OnlyContain(s => s.Offset == (store == _offset ? 1000 : 0));
        using var heatmap = GdalDataset.Open(store.PathOf(task.HeatmapTarget.Key));
        return heatmap.ReadBand<float>(1);
    }

    [Fact]
    public async Task A_scene_with_the_baseline_offset_and_its_unoffset_twin_give_the_same_heatmap()
    {
        var first = (await SceneCatalog.FindAsync(_plain, GeoJsonReader.ReadAreaFile(Path.Combine(RepositoryRoot.SharedData, "roi", "test_patch.geojson")), Start, End))[0];
        using (var a = GdalDataset.Open(first.GdalPath("red")))
        using (var b = GdalDataset.Open(_offset.PathOf($"imagery/assets/{first.Id}/red.tif")))
        {
            var (pa, pb) = (a.ReadBand<ushort>(1), b.ReadBand<ushort>(1));
            pb.Zip(pa).Should().OnlyContain(p => p.First == 0 ? p.Second == 0 : p.First == p.Second + 1000, "the twin really carries the offset");
        }

        var plain = await HeatmapAsync(_plain);
        var offset = await HeatmapAsync(_offset);

        plain.Count(v => !float.IsNaN(v)).Should().BeGreaterThan(plain.Length / 10);
        offset.Should().Equal(plain, (x, y) => x.Equals(y), "removing the offset gives the models the same DNs");
    }
}
