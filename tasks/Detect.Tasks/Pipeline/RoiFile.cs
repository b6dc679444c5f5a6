using System.ComponentModel;
using Detect.Engine;
using Detect.Engine.Parameters;

namespace Detect.Tasks.Pipeline;

[Description("region-of-interest polygons at boundaries/<roi>.geojson (an input put in the store)")]
[TaskIdParameters(nameof(Roi))]
[Inherits(typeof(Detect))]
public sealed class RoiFile : ExternalTask
{
    [Parameter(Help = "region of interest name, e.g. bali, test_patch"), StoreKeyName] public string Roi { get; init; } = "";
    public override IEnumerable<Target> Output() => [new StoreTarget($"boundaries/{Roi}.geojson")];

    public override string MissingInputHint =>
        $"The ROI '{Roi}' is not in this store: add it with `detect roi add {Roi} <file.geojson> --store <this store>` " +
        "(WGS84 polygons; ../shared/roi holds the project's regions).";
}
