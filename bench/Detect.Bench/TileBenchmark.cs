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
        // DETECT_BENCH_TILES=<id>,<id>… measures those tiles instead (e.g. one inside a scene tile and one in an overlap).
        var chosen = Environment.GetEnvironmentVariable("DETECT_BENCH_TILES")?.Split(',', StringSplitOptions.RemoveEmptyEntries);
        var sampleTiles = chosen is { Length: > 0 }
            ? chosen.Select(id => cover.FirstOrDefault(t => t.Id == id) ?? throw new ArgumentException($"DETECT_BENCH_TILES: '{id}' is not a tile of {roiName}.")).ToList()
            : Enumerable.Range(0, Math.Min(sample, cover.Count)).Select(i => cover[(int)((i + 0.5) * cover.Count / Math.Min(sample, cover.Count))]).ToList();
        Console.WriteLine($"{roiName}: {cover.Count} tiles; measuring {sampleTiles.Count}: {string.Join(" ", sampleTiles.Select(t => t.Id))}");
        // DETECT_BENCH_GROUP=1: the chosen tiles' scene reads as one Mosaic task builds a group (--with), against each alone.
        if (Environment.GetEnvironmentVariable("DETECT_BENCH_GROUP") == "1")
        {
            await MeasureGroupAsync(store, sampleTiles, windows);
            return;
        }
        var totals = new Dictionary<string, StageTime>();
        foreach (var tile in sampleTiles)
        {
            var stages = await MeasureTileAsync(store, tile, windows, model, workDir, sample == 1 && chosen is null);
            foreach (var (name, t) in stages) totals[name] = totals.GetValueOrDefault(name, StageTime.Zero) + t;
        }
        if (sampleTiles.Count > 1 || chosen is { Length: > 0 })
        {
            var sum = totals.Values.Aggregate(StageTime.Zero, (a, b) => a + b);
            Console.WriteLine($"mean over {sampleTiles.Count} tiles:");
            Console.WriteLine("| stage | wall s per tile | CPU s per tile | share of CPU |");
            Console.WriteLine("| --- | ---: | ---: | ---: |");
            foreach (var (name, t) in totals)
                Console.WriteLine($"| {name} | {t.Wall.TotalSeconds / sampleTiles.Count:0.000} | {t.Cpu.TotalSeconds / sampleTiles.Count:0.000} | {t.Cpu / sum.Cpu:P1} |");
            Console.WriteLine($"| total | {sum.Wall.TotalSeconds / sampleTiles.Count:0.00} | {sum.Cpu.TotalSeconds / sampleTiles.Count:0.00} | |");
        }
    }

    private static async Task<List<(string Name, StageTime Time)>> MeasureTileAsync(LocalObjectStore store, Tile tile,
        IReadOnlyList<MosaicWindow> windows, PixelModel model, string workDir, bool withApiSearch)
    {
        // Search and record, as TileScenes does: from the store's catalog (and, for one tile, from the same items served as a STAC API).
        var clock = new StageClock();
        var record = await SceneSearch.SearchAsync(store, ImageryOptions.Store, tile.PaddedFootprintWgs84(), windows[0].Start, windows[^1].End);
        var recordJson = SceneRecordJson.Write(record);
        record = SceneRecordJson.Read(recordJson, "record");
        var searchStore = clock.Elapsed;
        var searchApi = StageTime.Zero;
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
        var build = StageTime.Zero;
        var writeMosaics = StageTime.Zero;
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

        List<(string, StageTime)> stages =
        [
            ("search + record scenes, store catalog", searchStore), ("scene read + resample + mosaic", build),
            ("mosaic COG write (Mosaic task)", writeMosaics), ("mosaic COG read (once; Heatmap and PatchTile each do it)", readMosaics),
            ("pixel-model inference", infer), ("heatmap COG write", write), ("blob detection", blobTime),
        ];
        var total = stages.Aggregate(StageTime.Zero, (a, s) => a + s.Item2);
        var pixels = (long)tile.PaddedGrid.PixelCount;
        Console.WriteLine($"tile {tile.Id}: {pixels:N0} px, {record.Scenes.Count} scenes ({recordJson.Length / 1024.0:0} KiB record), {windows.Count} mosaics, {pairs.Count} pairs, {predicted:N0} pixel-pair predictions, {blobs.Count} blobs");
        Console.WriteLine("| stage | wall s | CPU s | share of CPU |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        if (withApiSearch)
            Console.WriteLine($"| search + record scenes, STAC API over HTTP (not in the total) | {searchApi.Wall.TotalSeconds:0.000} | {searchApi.Cpu.TotalSeconds:0.000} | {searchApi.Cpu / total.Cpu:P1} |");
        foreach (var (name, t) in stages) Console.WriteLine($"| {name} | {t.Wall.TotalSeconds:0.000} | {t.Cpu.TotalSeconds:0.000} | {t.Cpu / total.Cpu:P1} |");
        Console.WriteLine($"| total | {total.Wall.TotalSeconds:0.00} | {total.Cpu.TotalSeconds:0.00} | {pixels / total.Cpu.TotalSeconds:N0} tile px per CPU s, {predicted / infer.Cpu.TotalSeconds:N0} predictions per CPU s |");
        return stages;
    }

    /// <summary>Scene read + resample + min mosaic of the tiles one by one, then of all of them in one pass (mosaics compared).</summary>
    private static async Task MeasureGroupAsync(LocalObjectStore store, List<Tile> tiles, IReadOnlyList<MosaicWindow> windows)
    {
        var records = new List<SceneRecord>();
        foreach (var tile in tiles)
            records.Add(await SceneSearch.SearchAsync(store, ImageryOptions.Store, tile.PaddedFootprintWgs84(), windows[0].Start, windows[^1].End));
        var access = new SceneAccess(store, ImageryOptions.Store, records[0].Buckets);
        // Mosaics are compared by a hash of their values, not kept: holding 72 of them would slow the collector down.
        static string Hash(Mosaic m) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(m.Data.AsSpan())));
        var clock = new StageClock();
        var together = TileMosaics.BuildGroup(tiles, records, access, windows, MosaicMethod.Min).Select(w => w.Mosaics.Select(Hash).ToList()).ToList();
        var togetherTime = clock.Elapsed;
        clock.Restart();
        var alone = tiles.Select((tile, k) => TileMosaics.Build(tile, records[k], access, windows, MosaicMethod.Min).Select(m => Hash(m.Mosaic)).ToList()).ToList();
        var aloneTime = clock.Elapsed;
        for (var w = 0; w < windows.Count; w++)
        for (var k = 0; k < tiles.Count; k++)
            if (together[w][k] != alone[k][w])
                throw new InvalidOperationException($"Tile {tiles[k].Id}, window {windows[w].Id}: the group's mosaic differs from the tile's own.");
        Console.WriteLine($"{tiles.Count} tiles ({string.Join(" ", tiles.Select(t => t.Id))}), {windows.Count} windows, scene read + resample + min mosaic:");
        Console.WriteLine("| | wall s per tile | CPU s per tile |");
        Console.WriteLine("| --- | ---: | ---: |");
        Console.WriteLine($"| each tile alone | {aloneTime.Wall.TotalSeconds / tiles.Count:0.00} | {aloneTime.Cpu.TotalSeconds / tiles.Count:0.00} |");
        Console.WriteLine($"| in one pass (Mosaic --with) | {togetherTime.Wall.TotalSeconds / tiles.Count:0.00} | {togetherTime.Cpu.TotalSeconds / tiles.Count:0.00} |");
        Console.WriteLine("every mosaic of the pass equals the tile's own, value for value");
    }
}
