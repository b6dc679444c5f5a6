using Detect.Tasks.Tiling;
using System.ComponentModel;
using System.Globalization;
using System.Text;
using Detect.Engine;
using Detect.Engine.Parameters;
using Detect.Engine.Storage;
using Detect.Tasks.Analysis.Blobs;
using Detect.Tasks.Native.Gdal;

namespace Detect.Tasks.Pipeline;

/// <summary>
/// Blobs in one heatmap → <c>&lt;heatmap&gt;.json</c> = [[lon, lat], ...] (written even when empty). Either on a
/// file (<c>--file s3://.../x_median.tif</c>, any georeferenced raster) or, inside a run, on the heatmap of
/// <c>--tile</c>, which it then requires.
/// </summary>
[Description("blobs (determinant of Hessian) in one heatmap → <heatmap>.json with [[lon, lat], ...]")]
[TaskIdParameters(nameof(Tile))]
[Inherits(typeof(DetectBlobsTiled))] // PredThreshold; the rest from Detect (RunTask)
public sealed class BlobDetect : RunTask
{
    [Parameter(Help = "heatmap to read: s3://..., file:///... or a path (instead of --tile)")] public string File { get; init; } = "";
    [Parameter(Help = "tile whose heatmap of this run to read (instead of --file)"), TileId(AllowEmpty = true)] public string Tile { get; init; } = "";
    [Parameter(Help = "pixel model of the heatmap (with --tile)")] public string Model { get; init; } = "";
    [Parameter(Help = "mosaic periods between pair members (with --tile)")] public int SpectrogramInterval { get; init; }
    [Parameter(Help = "values below it are set to 0 first")] public double PredThreshold { get; init; }
    [Parameter(Help = "smallest blob scale (px)")] public double MinSigma { get; init; } = 3.5;
    [Parameter(Help = "largest blob scale (px)")] public double MaxSigma { get; init; } = 100;
    [Parameter(Help = "blob_doh threshold")] public double AreaThreshold { get; init; } = 0.0025;

    private Heatmap TileHeatmap => Clone<Heatmap>();

    private StoreTarget Input => (File.Length > 0, Tile.Length > 0) switch
    {
        (true, false) => HeatmapFile.TargetFor(File),
        (false, true) => TileHeatmap.HeatmapTarget,
        _ => throw new ParameterException("BlobDetect: give exactly one of --file (a heatmap raster) or --tile (with --run-id)."),
    };

    public override IEnumerable<WorkflowTask> Requires() =>
        File.Length > 0 ? [Clone<HeatmapFile>()] : [TileHeatmap];

    /// <summary>Exactly one of --file and --tile; a local --file is a readable file.</summary>
    public override void ValidateParameters()
    {
        base.ValidateParameters();
        _ = Input;
        if (File.Length > 0) RasterFileParameter.Validate(Family, File);
    }

    public override IEnumerable<Target> Output() => [Input.WithSuffix(".json")];

    public override async Task RunAsync(TaskContext context)
    {
        var path = await RasterPaths.ForGdalAsync(context, Input);
        using var dataset = GdalDataset.Open(path);
        var pixels = dataset.ReadBand<float>(1);
        var blobs = BlobDetector.Detect(pixels, dataset.Width, dataset.Height, new BlobOptions
        {
            PredThreshold = (float)PredThreshold, MinSigma = MinSigma, MaxSigma = MaxSigma, Threshold = AreaThreshold,
        });
        using var georef = new Georeferencing(dataset);
        var json = new StringBuilder("[");
        foreach (var blob in blobs)
        {
            var (lon, lat) = georef.PixelCentre(blob.Row, blob.Col);
            if (json.Length > 1) json.Append(", ");
            json.Append(CultureInfo.InvariantCulture, $"[{lon:R}, {lat:R}]");
        }
        await context.WriteTextAsync(Output().Single(), json.Append(']').ToString());
    }
}

/// <summary>A heatmap raster given by URI: an input made elsewhere (or by an earlier run).</summary>
public sealed class HeatmapFile : ExternalTask
{
    [Parameter(Help = "raster URI or path")] public string File { get; init; } = "";
    public override IEnumerable<Target> Output() => [TargetFor(File)];

    /// <summary>The store target of a URI: keys inside the run's store resolve there, others to their own store.</summary>
    public static StoreTarget TargetFor(string uri)
    {
        if (string.IsNullOrWhiteSpace(uri)) throw new ParameterException("--file is empty: give the raster's URI (s3://bucket/key, file:///path) or path.");
        var (folder, name) = StoreUri.Parse(uri).SplitName();
        return new StoreTarget(name, folder.ToString());
    }
}
