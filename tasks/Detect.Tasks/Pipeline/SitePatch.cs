using System.ComponentModel;
using Detect.Engine;
using Detect.Engine.Parameters;
using Detect.Tasks.Analysis.H3;
using Detect.Tasks.Imagery;
using Detect.Tasks.Mosaics;
using Detect.Tasks.Native.Gdal;

namespace Detect.Tasks.Pipeline;

/// <summary>
/// The imagery stack around a site: one median mosaic per month in a <c>rect_width</c>° box, as one COG of
/// 12 bands per month (descriptions <c>YYYY-MM-DD B01</c> …), shared across runs under the H3 cell of the
/// site at resolution 10 (~65 m), so sites closer than the merge radius never share a stack, and under the
/// imagery's key (<see cref="ImageryOptions.Key"/>), so stacks of different imagery never mix. Its scenes come
/// from the <see cref="SiteScenes"/> record beside it.
/// </summary>
[Description("monthly median mosaics in a box around a site → patches/<h3 cell>/<imagery>/<start>-<end>.tif")]
public sealed class SitePatch : ImageryTask
{
    public const int CellResolution = 10;

    [Parameter(Help = "site longitude")] public double Lon { get; init; }
    [Parameter(Help = "site latitude")] public double Lat { get; init; }
    [Parameter(Help = "first day of imagery")] public DateOnly StartDate { get; init; }
    [Parameter(Help = "last day of imagery (exclusive)")] public DateOnly EndDate { get; init; }
    [Parameter(Help = "box width in degrees")] public double RectWidth { get; init; }

    public string Cell => H3Index.LatLngToCellString(Lat, Lon, CellResolution);
    public StoreTarget Stack => new($"{SiteScenes.Folder(Cell, ImageryOptions)}{StartDate:yyyy-MM-dd}-{EndDate:yyyy-MM-dd}.tif");

    public SiteScenes Scenes => Clone<SiteScenes>();

    public override IEnumerable<WorkflowTask> Requires() => [Scenes];
    public override IEnumerable<Target> Output() => [Stack];

    public override async Task RunAsync(TaskContext context)
    {
        var grid = SiteBox.Grid(Lon, Lat, RectWidth);
        var months = MosaicWindows.Build(StartDate, EndDate, 1);
        var record = await SceneRecords.ReadAsync(context, Scenes.Record);
        var access = new SceneAccess(context.Store, ImageryOptions, record.Buckets);
        var bands = new List<ReadOnlyMemory<float>>();
        var names = new List<string>();
        using var progress = context.Progress(months.Count, "months");
        foreach (var month in months)
        {
            var mosaic = MosaicBuilder.Build(grid, record.Between(month.Start, month.End), MosaicMethod.Median, access, context.CancellationToken);
            for (var b = 0; b < SentinelBands.Count; b++)
            {
                bands.Add(mosaic.Band(b).ToArray());
                names.Add($"{month.Start:yyyy-MM-dd} {SentinelBands.All[b].Band}");
            }
            progress.Advance();
        }
        Cog.Write(context.StagePath(Stack), grid, bands, names, float.NaN);
    }
}

/// <summary>
/// The scenes of one site box, searched once and recorded beside the site's stack
/// (<c>patches/&lt;cell&gt;/&lt;imagery&gt;/&lt;start&gt;-&lt;end&gt;.scenes.json</c>): shared across runs like the stack,
/// so every run that uses the stack uses the same scenes; deleting it searches again and remakes the stack.
/// </summary>
[Description("the scenes of a site box, searched once → patches/<h3 cell>/<imagery>/<start>-<end>.scenes.json")]
public sealed class SiteScenes : ImageryTask
{
    [Parameter(Help = "site longitude")] public double Lon { get; init; }
    [Parameter(Help = "site latitude")] public double Lat { get; init; }
    [Parameter(Help = "first day of imagery")] public DateOnly StartDate { get; init; }
    [Parameter(Help = "last day of imagery (exclusive)")] public DateOnly EndDate { get; init; }
    [Parameter(Help = "box width in degrees")] public double RectWidth { get; init; }

    public string Cell => H3Index.LatLngToCellString(Lat, Lon, SitePatch.CellResolution);
    public StoreTarget Record => new($"{Folder(Cell, ImageryOptions)}{StartDate:yyyy-MM-dd}-{EndDate:yyyy-MM-dd}.scenes.json");

    /// <summary>The folder of a site's stacks and records for one imagery: <c>patches/&lt;cell&gt;/&lt;imagery key&gt;/</c>.</summary>
    public static string Folder(string cell, ImageryOptions imagery) => $"patches/{cell}/{imagery.Key}/";

    public override IEnumerable<Target> Output() => [Record];

    public override async Task RunAsync(TaskContext context)
    {
        var grid = SiteBox.Grid(Lon, Lat, RectWidth);
        var record = await SceneRecords.SearchAsync(context, ImageryOptions, Geo.GridFootprint.Wgs84(grid), StartDate, EndDate, $"site box {Cell}");
        await context.WriteTextAsync(Record, SceneRecordJson.Write(record));
    }
}
