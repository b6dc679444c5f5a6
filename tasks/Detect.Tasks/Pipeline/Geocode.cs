using System.ComponentModel;
using Detect.Engine;
using Detect.Engine.Parameters;
using Detect.Tasks.Geo.GeoJson;
using Detect.Tasks.Analysis.Geocoding;
using Detect.Tasks.Analysis.H3;
using Detect.Tasks.Analysis.Sites;
using Detect.Tasks.Inference;

namespace Detect.Tasks.Pipeline;

public enum GeocoderKind { Offline, Nominatim }

[Description("sites + address fields (reverse geocoding) and H3 res-7 cell id → runs/<run_id>/output/sites_with_metadata.geojson")]
public sealed class Geocode : RunTask
{
    public const int H3Resolution = 7;

    [Parameter(Help = "pixel model name")] public string Model { get; init; } = "";
    [Parameter(Help = "patch classifier name")] public string PatchModel { get; init; } = "";
    [Parameter(Help = "mosaic periods between pair members")] public int SpectrogramInterval { get; init; }
    [Parameter(Significant = false, Help = "offline (bundled gazetteer) or nominatim")] public GeocoderKind Geocoder { get; init; } = GeocoderKind.Offline;
    [Parameter(Significant = false, Help = "Nominatim-compatible service (with --geocoder nominatim)")] public string GeocoderUrl { get; init; } = "https://nominatim.openstreetmap.org";

    [Parameter(Significant = false, Help = "auto, cpu or cuda (for the inference tasks upstream)")] public InferenceDevice Device { get; init; }

    public ComparePatchClassifier Confirmed => Clone<ComparePatchClassifier>();

    public StoreTarget SitesWithMetadata => new($"{RunFolder}output/sites_with_metadata.geojson");

    public override IEnumerable<WorkflowTask> Requires() => [Confirmed];
    public override IEnumerable<Target> Output() => [SitesWithMetadata];

    public override async Task RunAsync(TaskContext context)
    {
        var sites = SiteFeatures.FromFeatures(GeoJsonReader.ReadFeatures(await context.ReadTextAsync(Confirmed.Sites), context.Targets.UriOf(Confirmed.Sites)), Confirmed.Sites.Key);
        var offline = OfflineGeocoder.Load(DetectPaths.Gazetteer);
        using var online = Geocoder == GeocoderKind.Nominatim
            ? new NominatimGeocoder(new NominatimOptions { BaseUrl = GeocoderUrl, CacheDirectory = Path.Combine(context.CacheDirectory, "nominatim") }, offline, context.Logger)
            : null;
        IReverseGeocoder geocoder = online is null ? offline : online;
        var metadata = new Dictionary<string, IReadOnlyDictionary<string, object?>>();
        foreach (var site in sites)
        {
            var address = await geocoder.ReverseAsync(site.Lat, site.Lon, context.CancellationToken);
            var properties = new Dictionary<string, object?>(address.ToProperties())
            {
                ["id"] = H3Index.LatLngToCellString(site.Lat, site.Lon, H3Resolution),
            };
            metadata[site.Name] = properties;
        }
        await context.WriteTextAsync(SitesWithMetadata, GeoJsonWriter.ToJson(sites.Select(s => SiteFeatures.ToFeature(s, metadata[s.Name])), indented: true));
    }
}
