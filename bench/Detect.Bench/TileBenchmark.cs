using System.Diagnostics;
using System.Text.Json.Nodes;
using Detect.Engine.Storage;
using Detect.Tasks.Geo;
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
/// One heatmap tile on the CPU, stage by stage: scene read + mosaic, pixel-model inference, COG write.
/// Uses synthetic scenes over a region from ../shared/roi (seeded once into a local store).
/// </summary>
internal static class TileBenchmark
{
    public static async Task RunAsync(string sharedDir, string roiName, string workDir)
    {
        var roiFile = Path.Combine(sharedDir, "roi", roiName + ".geojson");
        var roi = GeoJsonGeometryReader.ReadFile(roiFile);
        var store = new LocalObjectStore(Path.Combine(workDir, "store"));
        var (start, end) = (new DateOnly(2019, 1, 1), new DateOnly(2021, 6, 1));
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

        var tile = RoiTiler.Cover(roi).First();
        var windows = MosaicWindows.Build(start, end, 3);

        // Search and record, as TileScenes does: from the store's catalog, and from the same items served as a STAC API.
        var clock = Stopwatch.StartNew();
        var record = await SceneSearch.SearchAsync(store, ImageryOptions.Store, tile.PaddedFootprintWgs84(), windows[0].Start, windows[^1].End);
        var recordJson = SceneRecordJson.Write(record);
        record = SceneRecordJson.Read(recordJson, "record");
        var searchStore = clock.Elapsed;

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
        var searchApi = clock.Elapsed;
        if (apiRecord.Scenes.Count != record.Scenes.Count)
            throw new InvalidOperationException($"The API search found {apiRecord.Scenes.Count} scenes, the store's catalog {record.Scenes.Count}.");

        clock.Restart();
        var access = new SceneAccess(store, ImageryOptions.Store, record.Buckets);
        var mosaics = TileMosaics.Build(tile, record, access, windows, MosaicMethod.Min).ToDictionary(m => m.Window, m => m.Mosaic);
        var readMosaic = clock.Elapsed;

        clock.Restart();
        var pairs = MosaicWindows.Pairs(windows, 2).Select(p => (mosaics[p.First], mosaics[p.Second])).ToList();
        long predicted = 0;
        var heatmap = HeatmapInference.Median(pairs, model, n => predicted += n);
        var infer = clock.Elapsed;

        clock.Restart();
        Cog.Write<float>(Path.Combine(workDir, "heatmap.tif"), tile.PaddedGrid, [heatmap], ["median"], float.NaN);
        var write = clock.Elapsed;

        var total = searchApi + readMosaic + infer + write;
        var pixels = (long)tile.PaddedGrid.PixelCount;
        Console.WriteLine($"tile {tile.Id}: {pixels:N0} px, {record.Scenes.Count} scenes ({recordJson.Length / 1024.0:0} KiB record), {windows.Count} mosaics, {pairs.Count} pairs, {predicted:N0} pixel-pair predictions");
        Console.WriteLine("| stage | seconds | share |");
        Console.WriteLine("| --- | ---: | ---: |");
        Console.WriteLine($"| search + record scenes, store catalog (not in the total) | {searchStore.TotalSeconds:0.000} | {searchStore / total:P1} |");
        foreach (var (name, t) in new[] { ("search + record scenes, STAC API over HTTP", searchApi), ("scene read + resample + mosaic", readMosaic),
                     ("pixel-model inference", infer), ("COG write", write) })
            Console.WriteLine($"| {name} | {t.TotalSeconds:0.000} | {t / total:P1} |");
        Console.WriteLine($"| total | {total.TotalSeconds:0.00} | {pixels / total.TotalSeconds:N0} tile px/s, {predicted / infer.TotalSeconds:N0} predictions/s |");
    }
}
