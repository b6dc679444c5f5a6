using System.ComponentModel;
using Detect.Engine;
using Detect.Engine.Parameters;
using Detect.Tasks.Analysis.Contours;
using Detect.Tasks.Geo.GeoJson;
using NetTopologySuite.Features;
using Detect.Tasks.Native.Gdal;

namespace Detect.Tasks.Pipeline;

/// <summary>The per-frame contour step on one georeferenced raster (band 1), to check it alone.</summary>
[Description("contour polygons of one raster (×4 bicubic, blur, threshold) → <file>.contours.geojson")]
public sealed class Contours : WorkflowTask, IValidatesParameters
{
    [Parameter(Help = "raster URI or path (band 1 is contoured)")] public string File { get; init; } = "";
    [Parameter(Help = "contour level after blurring")] public double Level { get; init; } = 0.2;
    [Parameter(Help = "smallest polygon kept, in upsampled pixels")] public double MinArea { get; init; } = 160;

    public override IEnumerable<WorkflowTask> Requires() => [new HeatmapFile { File = File }];

    /// <summary>A local --file is a readable file; a URI has a scheme a store reads.</summary>
    public void ValidateParameters() => RasterFileParameter.Validate(Family, File);
    public override IEnumerable<Target> Output() => [HeatmapFile.TargetFor(File).WithSuffix(".contours.geojson")];

    public override async Task RunAsync(TaskContext context)
    {
        using var raster = GdalDataset.Open(await RasterPaths.ForGdalAsync(context, HeatmapFile.TargetFor(File)));
        using var srs = raster.SpatialReference();
        var epsg = srs.Epsg ?? throw new InvalidDataException($"{File} has no EPSG code; contours need a known CRS.");
        var geographic = epsg == 4326;
        var polygons = FrameContours.Extract(raster.ReadBand<float>(1), raster.Width, raster.Height,
            raster.GeoTransform, geographic,
            new ContourOptions { Level = (float)Level, MinAreaPixels = MinArea });
        var features = polygons.Select(p => (IFeature)new Feature(
            geographic ? p.Geometry : SiteContours.ToWgs84(p.Geometry, epsg),
            new AttributesTable { { "area (km^2)", Math.Round(p.AreaKm2, 6) } }));
        await context.WriteTextAsync(Output().Single(), GeoJsonWriter.ToJson(features));
    }
}
