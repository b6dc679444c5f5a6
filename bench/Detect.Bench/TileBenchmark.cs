using System.Diagnostics;
using System.Text.Json.Nodes;
using Detect.Engine.Storage;
using Detect.Tasks.Analysis.Blobs;
using Detect.Tasks.Geo.GeoJson;
using Detect.Tasks.Imagery;
using Detect.Tasks.Inference;
using Detect.Tasks.Models;
using Detect.Tasks.Mosaics;
using Detect.Tasks.Native.Gdal;
using Detect.Tasks.Pipeline;
using Detect.Synthetic;
using Detect.Tasks.Tiling;

namespace Detect.Bench;

/// <summary>
/// One heatmap tile on the CPU, stage by stage, as the pipeline does it: scene search + record, scene read + resample +
/// mosaic, the mosaic COGs written (Mosaic) and read back (by Heatmap and PatchTile), pixel-model inference, the heatmap
/// COG, blob detection. Uses synthetic scenes over a region from ../shared/roi (seeded once into a local store, or
/// the store already at workDir/store, e.g. a region-scale one from `scale-seed`). With <c>sample</c> &gt; 1 it
/// measures that many tiles spread evenly over the ROI's cover and prints the mean.
/// </summary>
internal static class TileBenchmark
{
    public static async Task RunAsync(string sharedDir, string roiName, string workDir, int sample = 1, DateOnly? endDate = null)
    {
        var roiFile = Path.Combine(sharedDir, "roi", roiName + ".geojson");
        var roi = GeoJsonReader.ReadAreaFile(roiFile);
        var store = new LocalObjectStore(Path.Combine(workDir, "store"));
        var (start, end) = (new DateOnly(2019, 1, 1), endDate ?? new DateOnly(2021, 6, 1));
        if ((await store.ListAsync("imagery/items/")).Count == 0)
            await SyntheticImageryGenerator.GenerateAsync(store, new SyntheticOptions { Roi = roi, Start = start, End = end },
                Directory.CreateDirectory(Path.Combine(workDir, "scratch")).FullName, publishTruth: false);
        var modelDir = Directory.CreateDirectory(Path.Combine(workDir, "models")).FullName;
        var entry = ModelManifest.Default.Get("spectrogram_v0.0.11_2021-07-13");
        var modelPath = Path.Combine(modelDir, Path.GetFileName(entry.OnnxFile));
        if (!File.Exists(modelPath))
        {
            await new ModelImporter().ImportAsync(Path.Combine(sharedDir, "models", "keras"), store);
            await store.DownloadAsync(entry.StoreKey, modelPath);
        }
        var model = new PixelModel(modelPath, InferenceSettings.Default with { Device = InferenceDevice.Cpu });

        var cover = RoiTiler.Cover(roi);
        var windows = MosaicWindows.Build(start, end, 3);
        var sampleTiles = Enumerable.Range(0, Math.Min(sample, cover.Count)).Select(i => cover[(int)((i + 0.5) * cover.Count / Math.Min(sample, cover.Count))]).ToList();
        Console.WriteLine($"{roiName}: {cover.Count} tiles; measuring {sampleTiles.Count}: {string.Join(" ", sampleTiles.Select(t => t.Id))}");
        var totals = new Dictionary<string, TimeSpan>();
        foreach (var tile in sampleTiles)
        {
            var stages = await MeasureTileAsync(store, tile, windows, model, workDir, sample == 1);
            foreach (var (name, t) in stages) totals[name] = totals.GetValueOrDefault(name) + t;
        }
        if (sampleTiles.Count > 1)
        {
            var sum = totals.Values.Aggregate(TimeSpan.Zero, (a, b) => a + b);
            Console.WriteLine($"mean over {sampleTiles.Count} tiles:");
            Console.WriteLine("| stage | seconds per tile | share |");
            Console.WriteLine("| --- | ---: | ---: |");
            foreach (var (name, t) in totals) Console.WriteLine($"| {name} | {t.TotalSeconds / sampleTiles.Count:0.000} | {t / sum:P1} |");
            Console.WriteLine($"| total | {sum.TotalSeconds / sampleTiles.Count:0.00} | |");
        }
    }

    private static async Task<List<(string Name, TimeSpan Time)>> MeasureTileAsync(LocalObjectStore store, Tile tile,
        IReadOnlyList<MosaicWindow> windows, PixelModel model, string workDir, bool withApiSearch)
    {
        // Search and record, as TileScenes does: from the store's catalog (and, for one tile, from the same items served as a STAC API).
        var clock = Stopwatch.StartNew();
        var record = await SceneSearch.SearchAsync(store, ImageryOptions.Store, tile.PaddedFootprintWgs84(), windows[0].Start, windows[^1].End);
        var recordJson = SceneRecordJson.Write(record);
        record = SceneRecordJson.Read(recordJson, "record");
        var searchStore = clock.Elapsed;
        var searchApi = TimeSpan.Zero;
        if (withApiSearch)
        {
            var items = new List<JsonObject>();
            foreach (var key in (await store.ListAsync("imagery/items/")).Where(k => k.EndsWith(".json")))
            {
                var item = (JsonObject)JsonNode.Parse(await File.ReadAllTextAsync(store.PathOf(key)))!;
                foreach (var (_, asset) in item["assets"]!.AsObject())
                    asset!["href"] = store.UriOf($"{StacSceneWriter.AssetsPrefix}{item["id"]}/{Path.GetFileName(asset["href"]!.GetValue<string>())}");
                items.Add(item);
            }
            using var api = new StaticStacApi(items, "sentinel-2-l1c");
            var apiImagery = ImageryOptions.Create(api.Root, "sentinel-2-l1c", "sentinel-2-l2a", 100, CloudMaskMode.Asset, "");
            clock.Restart();
            var apiRecord = await SceneSearch.SearchAsync(store, apiImagery, tile.PaddedFootprintWgs84(), windows[0].Start, windows[^1].End);
            SceneRecordJson.Read(SceneRecordJson.Write(apiRecord), "record");
            searchApi = clock.Elapsed;
            if (apiRecord.Scenes.Count != record.Scenes.Count)
                throw new InvalidOperationException($"The API search found {apiRecord.Scenes.Count} scenes, the store's catalog {record.Scenes.Count}.");
        }

        clock.Restart();
        var access = new SceneAccess(store, ImageryOptions.Store, record.Buckets);
        var folder = Directory.CreateDirectory(Path.Combine(workDir, "mosaics", tile.Id)).FullName;
        var build = TimeSpan.Zero;
        var writeMosaics = TimeSpan.Zero;
        foreach (var (window, mosaic) in TileMosaics.Build(tile, record, access, windows, MosaicMethod.Min))
        {
            build += clock.Elapsed;
            clock.Restart();
            MosaicCog.Write(mosaic, Path.Combine(folder, window.Id + ".tif"));
            writeMosaics += clock.Elapsed;
            clock.Restart();
        }

        clock.Restart();
        var mosaics = windows.ToDictionary(w => w, w => MosaicCog.Read(Path.Combine(folder, w.Id + ".tif")));
        var readMosaics = clock.Elapsed;

        clock.Restart();
        var pairs = MosaicWindows.Pairs(windows, 2).Select(p => (mosaics[p.First], mosaics[p.Second])).ToList();
        long predicted = 0;
        var heatmap = HeatmapInference.Median(pairs, model, n => predicted += n);
        var infer = clock.Elapsed;

        clock.Restart();
        var heatmapPath = Path.Combine(workDir, "heatmap.tif");
        Cog.Write<float>(heatmapPath, tile.PaddedGrid, [heatmap], ["median"], float.NaN);
        var write = clock.Elapsed;

        clock.Restart();
        var blobs = BlobDetector.Detect(heatmap, tile.PaddedGrid.Width, tile.PaddedGrid.Height, new BlobOptions());
        var blobTime = clock.Elapsed;

        List<(string, TimeSpan)> stages =
        [
            ("search + record scenes, store catalog", searchStore), ("scene read + resample + mosaic", build),
            ("mosaic COG write (Mosaic task)", writeMosaics), ("mosaic COG read (once; Heatmap and PatchTile each do it)", readMosaics),
            ("pixel-model inference", infer), ("heatmap COG write", write), ("blob detection", blobTime),
        ];
        var total = stages.Aggregate(TimeSpan.Zero, (a, s) => a + s.Item2);
        var pixels = (long)tile.PaddedGrid.PixelCount;
        Console.WriteLine($"tile {tile.Id}: {pixels:N0} px, {record.Scenes.Count} scenes ({recordJson.Length / 1024.0:0} KiB record), {windows.Count} mosaics, {pairs.Count} pairs, {predicted:N0} pixel-pair predictions, {blobs.Count} blobs");
        Console.WriteLine("| stage | seconds | share |");
        Console.WriteLine("| --- | ---: | ---: |");
        if (withApiSearch) Console.WriteLine($"| search + record scenes, STAC API over HTTP (not in the total) | {searchApi.TotalSeconds:0.000} | {searchApi / total:P1} |");
        foreach (var (name, t) in stages) Console.WriteLine($"| {name} | {t.TotalSeconds:0.000} | {t / total:P1} |");
        Console.WriteLine($"| total | {total.TotalSeconds:0.00} | {pixels / total.TotalSeconds:N0} tile px/s, {predicted / infer.TotalSeconds:N0} predictions/s |");
        return stages;
    }
}
