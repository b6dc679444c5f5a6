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
/// site at resolution 10 (~65 m), so sites closer than the merge radius never share a stack.
/// </summary>
[Description("monthly median mosaics in a box around a site → patches/<h3 cell>/<start>-<end>.tif")]
public sealed class SitePatch : WorkflowTask
{
    public const int CellResolution = 10;

    [Parameter(Help = "site longitude")] public double Lon { get; init; }
    [Parameter(Help = "site latitude")] public double Lat { get; init; }
    [Parameter(Help = "first day of imagery")] public DateOnly StartDate { get; init; } = new(2019, 1, 1);
    [Parameter(Help = "last day of imagery (exclusive)")] public DateOnly EndDate { get; init; } = new(2021, 6, 1);
    [Parameter(Help = "box width in degrees")] public double RectWidth { get; init; } = 0.008;

    public string Cell => H3Index.LatLngToCellString(Lat, Lon, CellResolution);
    public StoreTarget Stack => new($"patches/{Cell}/{StartDate:yyyy-MM-dd}-{EndDate:yyyy-MM-dd}.tif");

    public override IEnumerable<Target> Output() => [Stack];

    public override async Task RunAsync(TaskContext context)
    {
        var grid = SiteBox.Grid(Lon, Lat, RectWidth);
        var months = MosaicWindows.Build(StartDate, EndDate, 1);
        var scenes = await SceneCatalog.FindAsync(context.Store, Geo.GridFootprint.Wgs84(grid), StartDate, EndDate, context.CancellationToken);
        var bands = new List<ReadOnlyMemory<float>>();
        var names = new List<string>();
        using var progress = context.Progress(months.Count, "months");
        foreach (var month in months)
        {
            var mosaic = MosaicBuilder.Build(grid, scenes.Where(s => month.Contains(s.Date)), MosaicMethod.Median, context.CancellationToken);
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
