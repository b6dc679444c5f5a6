using System.Diagnostics;
using Detect.Engine.Storage;
using Detect.Tasks.Geo;
using Detect.Tasks.Inference;
using Detect.Tasks.Models;
using Detect.Tasks.Mosaics;
using Detect.Tasks.Native.Gdal;
using Detect.Tasks.Pipeline;
using Detect.Tasks.Synthetic;
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
        var clock = Stopwatch.StartNew();
        var scenes = await TileMosaics.FindScenesAsync(store, tile, start, end);
        var mosaics = TileMosaics.Build(tile, scenes, windows, MosaicMethod.Min).ToDictionary(m => m.Window, m => m.Mosaic);
        var readMosaic = clock.Elapsed;

        clock.Restart();
        var pairs = MosaicWindows.Pairs(windows, 2).Select(p => (mosaics[p.First], mosaics[p.Second])).ToList();
        long predicted = 0;
        var heatmap = HeatmapInference.Median(pairs, model, n => predicted += n);
        var infer = clock.Elapsed;

        clock.Restart();
        Cog.Write<float>(Path.Combine(workDir, "heatmap.tif"), tile.PaddedGrid, [heatmap], ["median"], float.NaN);
        var write = clock.Elapsed;

        var total = readMosaic + infer + write;
        var pixels = (long)tile.PaddedGrid.PixelCount;
        Console.WriteLine($"tile {tile.Id}: {pixels:N0} px, {scenes.Count} scenes, {windows.Count} mosaics, {pairs.Count} pairs, {predicted:N0} pixel-pair predictions");
        Console.WriteLine("| stage | seconds | share |");
        Console.WriteLine("| --- | ---: | ---: |");
        foreach (var (name, t) in new[] { ("scene read + resample + mosaic", readMosaic), ("pixel-model inference", infer), ("COG write", write) })
            Console.WriteLine($"| {name} | {t.TotalSeconds:0.00} | {t / total:P0} |");
        Console.WriteLine($"| total | {total.TotalSeconds:0.00} | {pixels / total.TotalSeconds:N0} tile px/s, {predicted / infer.TotalSeconds:N0} predictions/s |");
    }
}
