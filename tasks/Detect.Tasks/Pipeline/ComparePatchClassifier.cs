using System.ComponentModel;
using Detect.Engine;
using Detect.Engine.Parameters;
using Detect.Tasks.Geo.GeoJson;
using Detect.Tasks.Analysis.Sites;
using Detect.Tasks.Inference;

namespace Detect.Tasks.Pipeline;

[Description("candidates inside a patch polygon whose mean > threshold → runs/<run_id>/output/sites.geojson")]
public sealed class ComparePatchClassifier : RunTask
{
    [Parameter(Help = "pixel model name")] public string Model { get; init; } = "";
    [Parameter(Help = "patch classifier name")] public string PatchModel { get; init; } = "";
    [Parameter(Help = "mosaic periods between pair members")] public int SpectrogramInterval { get; init; }
    [Parameter(Help = "minimum patch mean for a candidate to be kept")] public double PatchThreshold { get; init; } = PatchFilter.DefaultMinMean;
    [Parameter(Significant = false, Help = "auto, cpu or cuda (for the heatmap and patch tasks)")] public InferenceDevice Device { get; init; }

    public DetectBlobsTiled Candidates => Clone<DetectBlobsTiled>();

    public PatchClassifier Patches => Clone<PatchClassifier>();

    public StoreTarget Sites => new($"{RunFolder}output/sites.geojson");

    public override IEnumerable<WorkflowTask> Requires() => [Candidates, Patches];
    public override IEnumerable<Target> Output() => [Sites];

    public override async Task RunAsync(TaskContext context)
    {
        var candidates = SiteFeatures.FromFeatures(GeoJsonReader.ReadFeatures(await context.ReadTextAsync(Candidates.Candidates), context.Targets.UriOf(Candidates.Candidates)), Candidates.Candidates.Key);
        // The patch file is read feature by feature and only patches above the threshold are kept: Bali's is 1.3 M
        // windows in 250 MB, which read whole took 2.7 GB.
        PatchFilter filter;
        await using (var patches = await context.OpenReadAsync(Patches.Polygons))
            filter = PatchFilter.FromFeatures(GeoJsonReader.ReadFeatures(patches, context.Targets.UriOf(Patches.Polygons)), Patches.Polygons.Key, PatchThreshold);
        await context.WriteTextAsync(Sites, GeoJsonWriter.ToJson(filter.Filter(candidates).Select(s => SiteFeatures.ToFeature(s)), indented: true));
    }
}
