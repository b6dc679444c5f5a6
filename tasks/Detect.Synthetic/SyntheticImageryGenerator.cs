using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Detect.Engine.Storage;
using Detect.Tasks.Geo;
using Detect.Tasks.Imagery;
using Detect.Tasks.Native.Gdal;
using NetTopologySuite.Geometries;

namespace Detect.Synthetic;

/// <summary>
/// Writes synthetic Sentinel-2 L1C imagery in the imagery contract's layout: one STAC item per acquisition
/// (every <see cref="SyntheticOptions.RevisitDays"/> days) with 12 UInt16 COG bands at 10/20/60 m and a
/// 20 m cloud mask, in the UTM zone of the ROI's centre; background land cover (water, vegetation, soil),
/// planted sites (<see cref="SiteLayout"/>: disc, surround and core, on land) and decoys (discs), constant over
/// time, per-pixel noise and clouds. Site and decoy spectra and the site layout were searched against the
/// real models (<see cref="Search.SyntheticSpectraSearch"/>).
/// The truth (feature centres) goes to <see cref="SyntheticTruth.Key"/>. Same options, same bytes.
/// </summary>
public static class SyntheticImageryGenerator
{
    private const int CloudMaskFactor = 2; // the mask is written at 20 m: the contract allows any grid

    /// <param name="publishTruth">Publish the truth file to <see cref="SyntheticTruth.Key"/> (a task stages it itself instead).</param>
    public static async Task<SyntheticTruth> GenerateAsync(IObjectStore store, SyntheticOptions options, string scratchDirectory,
        CancellationToken ct = default, bool publishTruth = true)
    {
        options.Validate();
        var centre = options.Roi.Centroid;
        var epsg = SpatialReference.UtmEpsg(SpatialReference.UtmZone(centre.X), centre.Y >= 0);
        var roiUtm = GeometryReprojection.Transform(NetTopologySuite.Densify.Densifier.Densify(options.Roi, 0.001), 4326, epsg);
        var canvas = CanvasGrid(roiUtm.EnvelopeInternal, options.MarginMetres, epsg);
        var random = new Random(options.Seed);

        var spectra = new List<SiteSpectra> { SiteSpectra.Water, SiteSpectra.Vegetation, SiteSpectra.Soil };
        byte IndexOf(SiteSpectra spectrum)
        {
            var index = spectra.IndexOf(spectrum);
            if (index < 0) { spectra.Add(spectrum); index = spectra.Count - 1; }
            return (byte)index;
        }
        var spectrumIndex = LandCoverField.Generate(canvas.Width, canvas.Height, random.Next());
        var features = Plant(roiUtm, options, epsg, random);
        foreach (var decoy in features.Where(f => f.Kind == "decoy"))
            SitePainter.PaintDisc(canvas, spectrumIndex, decoy, IndexOf(options.DecoySpectra.First(s => s.Name == decoy.Spectrum)));
        var layout = options.SiteLayout;
        var parts = new Dictionary<SitePart, byte>
        {
            [SitePart.Disc] = IndexOf(options.SiteSpectrum),
            [SitePart.Surround] = IndexOf(layout.Surround),
        };
        if (layout.Core is not null) parts[SitePart.Core] = IndexOf(layout.Core);
        foreach (var site in features.Where(f => f.Kind == "site"))
            SitePainter.PaintSite(canvas, spectrumIndex, site, layout, parts, water: 0, land: 1);

        var area = AreaTag(canvas, options.Seed);
        var renderer = new SceneRenderer(canvas.Width, canvas.Height, spectrumIndex, spectra.ToArray(), options.Noise);
        var keys = new List<string>();
        var sceneNumber = 0;
        for (var date = options.Start; date < options.End; date = date.AddDays(options.RevisitDays), sceneNumber++)
        {
            ct.ThrowIfCancellationRequested();
            var sceneRandom = new Random(unchecked(options.Seed * 7919 + sceneNumber * 104729));
            var clouds = renderer.Clouds(sceneRandom, sceneRandom.NextDouble() * 2 * options.CloudCover);
            var bands = renderer.Bands(sceneRandom, clouds);
            var assets = new Dictionary<string, AssetRaster>();
            var n = canvas.PixelCount;
            for (var b = 0; b < SentinelBands.Count; b++)
            {
                var band = SentinelBands.All[b];
                var factor = band.ResolutionMetres / 10;
                assets[band.Asset] = AssetRaster.Band(Coarser(canvas, factor), renderer.Native(bands.AsSpan(b * n, n), factor), band.Band);
            }
            assets[SentinelBands.CloudAsset] = AssetRaster.CloudMask(Coarser(canvas, CloudMaskFactor), renderer.NativeMask(clouds, CloudMaskFactor));
            var datetime = new DateTimeOffset(date.ToDateTime(new TimeOnly(2, 30)), TimeSpan.Zero);
            keys.Add(await StacSceneWriter.WriteAsync(store, $"SYN_{epsg}_{area}_{date:yyyyMMdd}", datetime, assets, scratchDirectory, ct));
        }

        var truth = new SyntheticTruth(epsg, features, keys);
        if (!publishTruth) return truth;
        var truthPath = Path.Combine(scratchDirectory, "truth.geojson");
        await File.WriteAllTextAsync(truthPath, truth.ToGeoJson(), ct); // UTF-8 without a byte order mark (RFC 8259 §8.1)
        await store.PublishFileAsync(SyntheticTruth.Key, truthPath, ct);
        File.Delete(truthPath);
        return truth;
    }

    /// <summary>
    /// Eight hex digits naming the imagery's area and seed (canvas grid and seed hashed), so scene ids of different areas
    /// in one UTM zone differ and their items coexist in one store (ids of one date and zone were once the same:
    /// the second area's demo replaced the first's scenes). Same options, same tag.
    /// </summary>
    private static string AreaTag(RasterGrid canvas, int seed)
    {
        var t = canvas.Transform;
        var text = string.Create(CultureInfo.InvariantCulture, $"{canvas.Epsg}:{t.OriginX:R}:{t.OriginY:R}:{canvas.Width}x{canvas.Height}:{seed}");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..8];
    }

    /// <summary>The 10 m canvas: the ROI's UTM envelope plus margin, snapped outwards to the 60 m grid.</summary>
    private static RasterGrid CanvasGrid(Envelope e, double margin, int epsg)
    {
        const double step = 60;
        var left = Math.Floor((e.MinX - margin) / step) * step;
        var right = Math.Ceiling((e.MaxX + margin) / step) * step;
        var bottom = Math.Floor((e.MinY - margin) / step) * step;
        var top = Math.Ceiling((e.MaxY + margin) / step) * step;
        return new RasterGrid(epsg, GeoTransform.NorthUp(left, top, 10), (int)((right - left) / 10), (int)((top - bottom) / 10));
    }

    private static RasterGrid Coarser(RasterGrid canvas, int factor) =>
        new(canvas.Epsg, GeoTransform.NorthUp(canvas.Transform.OriginX, canvas.Transform.OriginY, 10 * factor),
            canvas.Width / factor, canvas.Height / factor);

    private static List<PlantedFeature> Plant(Geometry roiUtm, SyntheticOptions options, int epsg, Random random)
    {
        var plan = Enumerable.Range(0, options.SiteCount).Select(i => ("site", $"site_{i + 1}", options.SiteSpectrum, options.SiteLayout.DiscRadiusMetres))
            .Concat(Enumerable.Range(0, options.DecoyCount).Select(i =>
                ("decoy", $"decoy_{i + 1}", options.DecoySpectra[i % options.DecoySpectra.Count], options.DecoyRadiusMetres)))
            .ToList();
        using var toWgs84 = CoordinateTransform.FromEpsg(epsg, 4326);
        var e = roiUtm.EnvelopeInternal;
        var placed = new List<PlantedFeature>();
        foreach (var (kind, name, spectrum, radius) in plan)
        {
            var inner = roiUtm.Buffer(-radius);
            for (var attempt = 0; ; attempt++)
            {
                if (attempt == 10_000)
                    throw new ArgumentException($"Could not place {name} ({radius} m) in the ROI with {options.MinSpacingMetres} m between decoys and {options.SiteLayout.WaterFreeRadiusMetres} m around sites: use a larger ROI or fewer features.");
                var x = e.MinX + random.NextDouble() * e.Width;
                var y = e.MinY + random.NextDouble() * e.Height;
                if (!inner.Contains(roiUtm.Factory.CreatePoint(new Coordinate(x, y)))) continue;
                if (placed.Any(p => Math.Sqrt((p.X - x) * (p.X - x) + (p.Y - y) * (p.Y - y)) < Spacing(options, kind, p.Kind, radius, p.RadiusMetres))) continue;
                var (lon, lat) = toWgs84.Transform(x, y);
                placed.Add(new PlantedFeature(name, kind, spectrum.Name, lon, lat, x, y, radius));
                break;
            }
        }
        return placed;
    }

    /// <summary>
    /// Centre-to-centre distance two features need: decoys <see cref="SyntheticOptions.MinSpacingMetres"/>;
    /// a site keeps everything else out of its water-free radius (the context its patch score was searched in).
    /// </summary>
    private static double Spacing(SyntheticOptions options, string kind, string otherKind, double radius, double otherRadius)
    {
        var clear = options.SiteLayout.WaterFreeRadiusMetres;
        return (kind, otherKind) switch
        {
            ("site", "site") => Math.Max(options.MinSpacingMetres, clear + options.SiteLayout.OuterRadiusMetres),
            ("site", _) => Math.Max(options.MinSpacingMetres, clear + otherRadius),
            (_, "site") => Math.Max(options.MinSpacingMetres, clear + radius),
            _ => options.MinSpacingMetres,
        };
    }
}
