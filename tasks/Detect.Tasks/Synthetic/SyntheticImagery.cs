using System.ComponentModel;
using Detect.Engine;
using Detect.Engine.Parameters;
using Detect.Tasks.Geo;

namespace Detect.Tasks.Synthetic;

/// <summary>
/// Writes synthetic Sentinel-2 imagery for a ROI into the store (<c>imagery/items</c>, <c>imagery/assets</c>)
/// and the planted sites as <c>imagery/truth/sites.geojson</c> (the completion marker, written last).
/// The ROI is read from <c>boundaries/&lt;roi&gt;.geojson</c> in the store.
/// </summary>
[Description("Generate synthetic Sentinel-2 scenes (STAC + COG) with planted sites for a ROI (demo and tests).")]
public sealed class SyntheticImagery : WorkflowTask
{
    [Parameter(Help = "ROI name: boundaries/<roi>.geojson in the store")]
    public string Roi { get; init; } = "test_patch";

    [Parameter(Help = "First acquisition date")]
    public DateOnly StartDate { get; init; } = new(2019, 1, 1);

    [Parameter(Help = "End date (exclusive)")]
    public DateOnly EndDate { get; init; } = new(2021, 6, 1);

    [Parameter(Help = "Random seed: same seed, same imagery")]
    public int Seed { get; init; } = 1;

    [Parameter(Help = "Days between acquisitions")]
    public int RevisitDays { get; init; } = 10;

    [Parameter(Help = "Number of planted sites")]
    public int Sites { get; init; } = 3;

    [Parameter(Help = "Number of decoys (bare soil, urban)")]
    public int Decoys { get; init; } = 4;

    public override IEnumerable<Target> Output() => [new StoreTarget(SyntheticTruth.Key)];

    public override async Task RunAsync(TaskContext context)
    {
        var roiTarget = new StoreTarget($"boundaries/{Roi}.geojson");
        if (!await context.Store.ExistsAsync(roiTarget.Key, context.CancellationToken))
            throw new FileNotFoundException(
                $"ROI '{Roi}' not found: the store has no {roiTarget.Key}. Put the ROI GeoJSON there (e.g. from ../shared/roi/{Roi}.geojson).");
        var roi = GeoJsonGeometryReader.Read(await context.ReadTextAsync(roiTarget), roiTarget.Key);
        var options = new SyntheticOptions
        {
            Roi = roi, Start = StartDate, End = EndDate, Seed = Seed, RevisitDays = RevisitDays,
            SiteCount = Sites, DecoyCount = Decoys,
        };
        var truth = await SyntheticImageryGenerator.GenerateAsync(context.Store, options, context.ScratchDirectory,
            context.CancellationToken, publishTruth: false);
        await context.WriteTextAsync(new StoreTarget(SyntheticTruth.Key), truth.ToGeoJson());
    }
}
