using System.Text.Json;
using Detect.Engine.Cli;
using Detect.Engine.Storage;
using Detect.Tasks.Analysis.Sites;
using Detect.Tasks.Geo.GeoJson;
using Detect.Tasks.Imagery;
using Detect.Tasks.Models;
using Detect.Tasks.Pipeline;
using Detect.Synthetic;

namespace Detect.Cli;

/// <summary>
/// `detect demo [--roi test_patch] [--store URI] [run options]`: seeds a store (the ROI and the models from
/// ../shared, synthetic imagery with planted sites), runs Detect on it and prints planted vs found.
/// Seeding is skipped for whatever the store already has.
/// </summary>
internal static class DemoCommand
{
    public const double MatchMetres = 50;

    public static async Task<int> RunAsync(CliApp app, string[] args)
    {
        var roi = "test_patch";
        var store = app.DefaultStoreUri;
        var passThrough = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--roi" when i + 1 < args.Length: roi = args[++i]; break;
                case "--store" when i + 1 < args.Length: store = args[++i]; break;
                default: passThrough.Add(args[i]); break;
            }
        }
        var shared = SharedData.Find();
        if (shared is null)
        {
            await app.Error.WriteLineAsync("error: " + SharedData.MissingMessage);
            return CliApp.Failure;
        }
        var roiFile = Path.Combine(shared, "roi", roi + ".geojson");
        if (!File.Exists(roiFile))
        {
            var known = string.Join(", ", Directory.GetFiles(Path.Combine(shared, "roi"), "*.geojson").Select(Path.GetFileNameWithoutExtension));
            await app.Error.WriteLineAsync($"error: --roi {roi}: no {roiFile}. Known regions: {known}.");
            return CliApp.UsageError;
        }

        using (var target = StoreFactory.Open(store))
            await SeedAsync(app, target, roi, roiFile, Path.Combine(shared, "models", "keras"));

        var code = await app.RunAsync(["run", "Detect", "--roi", roi, "--store", store, .. passThrough]);
        if (code != CliApp.Success) return code;
        using var target2 = StoreFactory.Open(store);
        return await ComparePlantedAndFoundAsync(app, target2, roi) ? CliApp.Success : CliApp.Failure;
    }

    private static async Task SeedAsync(CliApp app, IObjectStore store, string roi, string roiFile, string kerasDir)
    {
        // The ROI goes in as a user's would: checked and written by `detect roi add`.
        if (!await store.ExistsAsync(RoiCommand.Key(roi)) && await RoiCommand.AddAsync(app, store, roi, roiFile) != CliApp.Success)
            throw new InvalidOperationException($"The demo ROI {roiFile} could not be added to {store.Uri}.");
        var manifest = ModelManifest.Default;
        var missingModels = new List<string>();
        foreach (var model in manifest.Models)
            if (!await store.ExistsAsync(model.StoreKey)) missingModels.Add(model.Name);
        if (missingModels.Count > 0)
        {
            await app.Out.WriteLineAsync($"importing {missingModels.Count} model(s) from {kerasDir} (Keras → ONNX) ...");
            await new ModelImporter().ImportAsync(kerasDir, store);
        }
        if (!await store.ExistsAsync(TruthKey(roi)))
        {
            var scratch = Directory.CreateTempSubdirectory("detect-demo-").FullName;
            try
            {
                await app.Out.WriteLineAsync($"generating synthetic Sentinel-2 scenes with planted sites over {roi} ...");
                var truth = await SyntheticImageryGenerator.GenerateAsync(store, new SyntheticOptions
                {
                    Roi = GeoJsonReader.ReadAreaFile(roiFile),
                    Start = new DateOnly(2019, 1, 1),
                    End = new DateOnly(2021, 6, 1),
                }, scratch, publishTruth: false);
                var truthFile = Path.Combine(scratch, "truth.geojson");
                await File.WriteAllTextAsync(truthFile, truth.ToGeoJson());
                await store.PublishFileAsync(TruthKey(roi), truthFile);
                await app.Out.WriteLineAsync($"wrote {truth.ItemKeys.Count} STAC items under {store.UriOf(SceneCatalog.ItemsPrefix)}, truth {store.UriOf(TruthKey(roi))}");
            }
            finally { Directory.Delete(scratch, recursive: true); }
        }
    }

    private static string TruthKey(string roi) => $"imagery/truth/{roi}_sites.geojson";

    /// <summary>Prints each planted feature's fate; true when every site was found and no decoy was.</summary>
    private static async Task<bool> ComparePlantedAndFoundAsync(CliApp app, IObjectStore store, string roi)
    {
        var ok = true;
        var detect = new Detect.Tasks.Pipeline.Detect { Roi = roi };
        var sitesKey = $"runs/{detect.ResolvedRunId}/output/sites.geojson";
        string Read(string key) { using var r = new StreamReader(store.OpenReadAsync(key).GetAwaiter().GetResult()); return r.ReadToEnd(); }
        var truth = GeoJsonReader.ReadFeatures(Read(TruthKey(roi)), store.UriOf(TruthKey(roi)));
        var found = SiteFeatures.FromFeatures(GeoJsonReader.ReadFeatures(Read(sitesKey), store.UriOf(sitesKey)), sitesKey);
        await app.Out.WriteLineAsync($"Planted vs found ({store.UriOf(sitesKey)}):");
        foreach (var planted in truth)
        {
            var kind = planted.GetString("kind") ?? "site";
            var (lon, lat) = (planted.Geometry.Coordinate.X, planted.Geometry.Coordinate.Y);
            var nearest = found.Select(f => (f.Name, Metres: Distance.Metres(lon, lat, f.Lon, f.Lat))).OrderBy(x => x.Metres).FirstOrDefault();
            var hit = nearest.Name is not null && nearest.Metres <= MatchMetres;
            var verdict = (kind, hit) switch
            {
                ("site", true) => $"found as {nearest.Name} ({nearest.Metres:0} m)",
                ("site", false) => "MISSED",
                (_, true) => $"FALSE POSITIVE {nearest.Name}",
                _ => "correctly ignored",
            };
            ok &= kind == "site" ? hit : !hit;
            await app.Out.WriteLineAsync($"  {kind,-6} {planted.GetString("name"),-10} {lat:0.00000}, {lon:0.00000}: {verdict}");
        }
        await app.Out.WriteLineAsync(ok ? "Demo check passed: every planted site found, no decoy." : "Demo check FAILED (see above).");
        return ok;
    }
}

internal static class Distance
{
    /// <summary>Great-circle distance in metres (spherical Earth, R = 6371 km): ample for matching within 50 m.</summary>
    public static double Metres(double lon1, double lat1, double lon2, double lat2)
    {
        const double r = 6_371_000;
        double Rad(double d) => d * Math.PI / 180;
        var dLat = Rad(lat2 - lat1);
        var dLon = Rad(lon2 - lon1);
        var a = Math.Pow(Math.Sin(dLat / 2), 2) + Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Pow(Math.Sin(dLon / 2), 2);
        return 2 * r * Math.Asin(Math.Sqrt(a));
    }
}
