using Detect.Tasks.Tiling;
using System.ComponentModel;
using Detect.Engine;
using Detect.Engine.Parameters;
using Detect.Tasks.Imagery;
using Detect.Tasks.Mosaics;
using Microsoft.Extensions.Logging;

namespace Detect.Tasks.Pipeline;

/// <summary>
/// Searches the scenes over one tile once and records them (<see cref="SceneRecord"/>): every task that reads the
/// tile's pixels reads this record, never the catalog, so a rerun uses exactly the same scenes. Deleting the record
/// searches again and, by deep completeness, reruns what used the tile.
/// </summary>
[Description("the scenes a tile uses (ids, hrefs, datetime, baseline, offset, mask), searched once → runs/<run_id>/scenes/<tile>.json")]
[TaskIdParameters(nameof(Tile))]
public sealed class TileScenes : RunTask
{
    [Parameter(Help = "tile id, e.g. 32750_x0037_y1057"), TileId] public string Tile { get; init; } = "";

    public StoreTarget Record => new($"{RunFolder}scenes/{Tile}.json");

    public override IEnumerable<Target> Output()
    {
        _ = ImageryOptions; // a bad --imagery value is a usage error when the graph is built, before anything runs
        return [Record];
    }

    public override async Task RunAsync(TaskContext context)
    {
        var tile = Tiling.Tile.Parse(Tile);
        var windows = MosaicWindows.Build(StartDate, EndDate, MosaicPeriod);
        var record = await SceneRecords.SearchAsync(context, ImageryOptions, tile.PaddedFootprintWgs84(), windows[0].Start, windows[^1].End, $"tile {Tile}");
        await context.WriteTextAsync(Record, SceneRecordJson.Write(record));
    }

    /// <summary>The record of this task's output.</summary>
    public Task<SceneRecord> ReadAsync(TaskContext context) => SceneRecords.ReadAsync(context, Record);
}

/// <summary>Searching, logging and reading scene records, for the record tasks.</summary>
internal static class SceneRecords
{
    public static async Task<SceneRecord> SearchAsync(TaskContext context, ImageryOptions imagery, NetTopologySuite.Geometries.Geometry area,
        DateOnly start, DateOnly end, string what)
    {
        var record = await SceneSearch.SearchAsync(context.Store, imagery, area, start, end, context.Logger, ct: context.CancellationToken);
        if (record.Skipped.Count > 0)
            context.Logger.LogWarning("{What}: {Scenes} scene(s) recorded, {Skipped} skipped ({Reason}, e.g. {Example})", what,
                record.Scenes.Count, record.Skipped.Count, record.Skipped[0].Reason, record.Skipped[0].Id);
        else
            context.Logger.LogInformation("{What}: {Scenes} scene(s) recorded from {Imagery}", what, record.Scenes.Count, imagery.Source);
        return record;
    }

    public static async Task<SceneRecord> ReadAsync(TaskContext context, StoreTarget target) =>
        SceneRecordJson.Read(await context.ReadTextAsync(target), context.Targets.UriOf(target));
}
