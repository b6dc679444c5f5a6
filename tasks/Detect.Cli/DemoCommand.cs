using Detect.Engine.Cli;
using Detect.Engine.Storage;

namespace Detect.Cli;

/// <summary>
/// `detect demo [--roi test_patch] [--store URI]`: seeds a store with a region from the shared data and runs
/// the example graph on it.
/// </summary>
internal static class DemoCommand
{
    public static async Task<int> RunAsync(CliApp app, string[] args)
    {
        var roi = "test_patch";
        var store = "./detect-data";
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
            var known = Directory.Exists(Path.Combine(shared, "roi"))
                ? string.Join(", ", Directory.GetFiles(Path.Combine(shared, "roi"), "*.geojson").Select(Path.GetFileNameWithoutExtension))
                : "none";
            await app.Error.WriteLineAsync($"error: --roi {roi}: no {roiFile}. Known regions: {known}.");
            return CliApp.UsageError;
        }
        using (var target = StoreFactory.Open(store))
        {
            await target.PublishFileAsync($"boundaries/{roi}.geojson", roiFile);
            await app.Out.WriteLineAsync($"seeded {target.UriOf($"boundaries/{roi}.geojson")} from {roiFile}");
        }
        return await app.RunAsync(["run", "RoiSummary", "--roi", roi, "--store", store, .. passThrough]);
    }
}
