using System.Globalization;
using Detect.Engine;
using Detect.Engine.Cli;
using Detect.Engine.Parameters;
using Detect.Engine.Scheduling;
using Detect.Engine.Storage;
using Detect.Tasks.Geo.GeoJson;
using Detect.Tasks.Imagery;
using Detect.Tasks.Mosaics;
using Detect.Tasks.Tiling;
using DetectTask = Detect.Tasks.Pipeline.Detect;

namespace Detect.Cli;

/// <summary>
/// `detect scenes --roi &lt;name&gt; [Detect's date and imagery parameters] [--store URI]`: what a run would read —
/// per tile, each scene's id, date, cloud cover, processing baseline (and DN offset) and cloud mask, plus the scenes
/// it would skip — from the same search the run records, without reading a pixel or writing anything.
/// </summary>
internal static class ScenesCommand
{
    private static readonly string[] Accepted =
        ["roi", "start-date", "end-date", "mosaic-period", "imagery", "collection", "cloud-collection", "max-cloud-cover", "cloud-mask", "imagery-s3-endpoint"];

    public static async Task<int> RunAsync(CliApp app, string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var store = app.DefaultStoreUri;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i].StartsWith("--", StringComparison.Ordinal) ? args[i][2..] : null;
            if (name is null || i + 1 >= args.Length)
                throw new ParameterException($"scenes: expected --name value pairs, got '{args[i]}'. Options: --store, {string.Join(", ", Accepted.Select(a => "--" + a))}.");
            if (name == "store") store = args[++i];
            else if (Accepted.Contains(name)) values[name] = args[++i];
            else throw new ParameterException($"scenes has no option --{name}. Options: --store, {string.Join(", ", Accepted.Select(a => "--" + a))}.");
        }
        if (!values.ContainsKey("roi")) throw new ParameterException("scenes needs --roi <name> (an ROI in the store: boundaries/<name>.geojson).");
        var mosaicPeriod = values.Remove("mosaic-period", out var period) ? period : "3";
        var detect = (DetectTask)TaskBuilder.Create(TaskSchema.Of(typeof(DetectTask)), values);
        var imagery = detect.Final.ImageryOptions;
        if (!int.TryParse(mosaicPeriod, NumberStyles.Integer, CultureInfo.InvariantCulture, out var months) || months < 1)
            throw new ParameterException($"scenes: --mosaic-period '{mosaicPeriod}' is not a whole number of months ≥ 1.");

        using var target = StoreFactory.Open(store);
        var roiKey = RoiCommand.Key(detect.Roi);
        if (!await target.ExistsAsync(roiKey))
        {
            await app.Error.WriteLineAsync($"error: no ROI '{detect.Roi}' in {target.Uri} ({target.UriOf(roiKey)} is missing): " +
                                           $"add it with `detect roi add {detect.Roi} <file.geojson> --store {target.Uri}`.");
            return CliApp.Failure;
        }
        string roiJson;
        await using (var stream = await target.OpenReadAsync(roiKey))
        using (var reader = new StreamReader(stream)) roiJson = await reader.ReadToEndAsync();
        var tiles = RoiTiler.Cover(GeoJsonReader.ReadArea(roiJson, target.UriOf(roiKey)));
        var windows = MosaicWindows.Build(detect.StartDate, detect.EndDate, months);
        await app.Out.WriteLineAsync($"{tiles.Count} tile(s) of ROI '{detect.Roi}', {windows[0].Start:yyyy-MM-dd} to {windows[^1].End:yyyy-MM-dd} (exclusive), from {imagery.Canonical}");
        try
        {
            foreach (var tile in tiles)
            {
                var record = await SceneSearch.SearchAsync(target, imagery, tile.PaddedFootprintWgs84(), windows[0].Start, windows[^1].End);
                await PrintAsync(app.Out, tile, record);
            }
        }
        catch (ImageryException e)
        {
            await app.Error.WriteLineAsync("error: " + e.Message);
            return CliApp.Failure;
        }
        return CliApp.Success;
    }

    private static async Task PrintAsync(TextWriter o, Tile tile, SceneRecord record)
    {
        await o.WriteLineAsync($"tile {tile.Id}: {record.Scenes.Count} scene(s), {record.Skipped.Count} skipped");
        if (record.Scenes.Count > 0)
            await o.WriteLineAsync($"  {"id",-40} {"date",-10} {"cloud %",7} {"baseline",-8} {"offset",6}  mask");
        foreach (var s in record.Scenes)
        {
            var cloud = s.CloudCover is { } c ? c.ToString("0.0", CultureInfo.InvariantCulture) : "-";
            var mask = s.Mask.Source switch
            {
                CloudMaskMode.Scl => $"scl of {s.Mask.Item}",
                CloudMaskMode.Asset => "cloud asset",
                _ => "none",
            };
            await o.WriteLineAsync($"  {s.Id,-40} {s.Date:yyyy-MM-dd} {cloud,7} {s.Baseline ?? "-",-8} {s.Offset,6}  {mask}");
        }
        foreach (var s in record.Skipped)
            await o.WriteLineAsync($"  skipped {s.Id} ({s.Datetime:yyyy-MM-dd}): {s.Reason}");
    }
}
