using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Detect.Engine.Storage;
using Detect.Tasks.Geo;
using Detect.Tasks.Geo.GeoJson;
using Detect.Tasks.Imagery;
using Detect.Tasks.Models;
using Detect.Tasks.Native.Gdal;
using Detect.Synthetic;
using NetTopologySuite.Geometries;

namespace Detect.Bench;

/// <summary>
/// Seeds a local store for a region-scale run (`bench/bali-bench.sh`): the ROI, the models, and synthetic Sentinel-2
/// L1C scenes written per scene tile of the real size (109.8 km, 10 980 px at 10 m, on a 60 m lattice as MGRS tiles are),
/// never as one canvas of the region. Each raster is made and written in strips of <see cref="StripRows"/> rows, so
/// memory stays at a few strips whatever the tile size.
/// </summary>
/// <remarks>
/// Volume: <c>variants</c> distinct rasters per scene tile (different noise and clouds), and one STAC item per scene
/// tile and acquisition date (every <c>revisitDays</c>), whose assets point at variant <c>date index mod variants</c>.
/// Every item is still opened and read for real by the run: per-tile I/O and compute are a real run's; only the disk
/// holds fewer distinct bytes. Values: land cover (vegetation or soil, 300 m cells, a function of the UTM position so
/// overlapping scene tiles agree) plus ±12 DN noise; clouds in 1.2 km cells (about 1 in 5).
/// </remarks>
internal static class ScaleImagery
{
    public const double SceneMetres = 109_800;
    private const double SceneStepMetres = 100_020; // MGRS-like: 9.8 km overlap, origins on the 60 m lattice
    private const int StripRows = 540; // a multiple of 6 so 10/20/60 m strips cover the same ground
    private static readonly string[] Options = ["TILED=YES", "BLOCKXSIZE=512", "BLOCKYSIZE=512", "COMPRESS=DEFLATE", "ZLEVEL=1", "PREDICTOR=2"];

    private static readonly ushort[][] Spectra =
    [
        [.. SiteSpectra.Vegetation.Dns],
        [.. SiteSpectra.Soil.Dns],
    ];

    public static async Task<int> SeedAsync(string sharedDir, string roiName, string storeDir, int years, int revisitDays, int variants)
    {
        var clock = Stopwatch.StartNew();
        var store = new LocalObjectStore(storeDir);
        var roiFile = Path.Combine(sharedDir, "roi", roiName + ".geojson");
        await store.PublishFileAsync($"boundaries/{roiName}.geojson", roiFile);
        if (!await store.ExistsAsync(ModelManifest.Default.Get("spectrogram_v0.0.11_2021-07-13").StoreKey))
            await new ModelImporter().ImportAsync(Path.Combine(sharedDir, "models", "keras"), store);

        var roi = GeoJsonReader.ReadAreaFile(roiFile);
        var centre = roi.Centroid;
        var epsg = SpatialReference.UtmEpsg(SpatialReference.UtmZone(centre.X), centre.Y >= 0);
        var scenes = SceneTiles(roi, epsg);
        Console.WriteLine($"{roiName}: {scenes.Count} scene tiles of {SceneMetres / 1000:0.0} km in EPSG:{epsg}, {variants} raster variant(s) each");
        var written = 0L;
        foreach (var (name, grid) in scenes)
        for (var v = 0; v < variants; v++)
        {
            var folder = store.PathOf($"{StacSceneWriter.AssetsPrefix}{name}_v{v}");
            if (File.Exists(Path.Combine(folder, "done"))) continue;
            Directory.CreateDirectory(folder);
            foreach (var band in SentinelBands.All) WriteBand(Path.Combine(folder, band.Asset + ".tif"), grid, band, v);
            WriteClouds(Path.Combine(folder, SentinelBands.CloudAsset + ".tif"), grid, v);
            await File.WriteAllTextAsync(Path.Combine(folder, "done"), "");
            written += Directory.GetFiles(folder).Sum(f => new FileInfo(f).Length);
            Console.WriteLine($"  {name} variant {v}: written ({clock.Elapsed.TotalSeconds:0} s, {written / 1e9:0.0} GB so far)");
        }

        var start = new DateOnly(2019, 1, 1);
        var items = 0;
        var index = 0;
        for (var date = start; date < start.AddYears(years); date = date.AddDays(revisitDays), index++)
            foreach (var (name, grid) in scenes)
            {
                var id = $"SYN_{name}_{date:yyyyMMdd}";
                var json = Item(id, new DateTimeOffset(date.ToDateTime(new TimeOnly(2, 30)), TimeSpan.Zero), grid, $"{name}_v{index % variants}");
                await File.WriteAllBytesAsync(Path.Combine(Directory.CreateDirectory(store.PathOf(SceneCatalog.ItemsPrefix)).FullName, id + ".json"), json);
                items++;
            }
        Console.WriteLine($"{items} items ({index} dates × {scenes.Count} scene tiles) in {clock.Elapsed.TotalSeconds:0} s");
        return 0;
    }

    /// <summary>The scene tiles (10 m grid of the full size) whose footprint meets the ROI.</summary>
    private static List<(string Name, RasterGrid Grid)> SceneTiles(Geometry roi, int epsg)
    {
        var utm = GeometryReprojection.Transform(NetTopologySuite.Densify.Densifier.Densify(roi, 0.001), 4326, epsg);
        var e = utm.EnvelopeInternal;
        var tiles = new List<(string, RasterGrid)>();
        var size = (int)(SceneMetres / 10);
        for (var j = (int)Math.Floor((e.MinY - SceneMetres) / SceneStepMetres) + 1; j * SceneStepMetres - SceneMetres < e.MaxY; j++)
        for (var i = (int)Math.Floor((e.MinX - SceneMetres) / SceneStepMetres) + 1; i * SceneStepMetres < e.MaxX; i++)
        {
            var (left, top) = (i * SceneStepMetres, j * SceneStepMetres);
            var grid = new RasterGrid(epsg, GeoTransform.NorthUp(left, top, 10), size, size);
            var footprint = GeometryReprojection.Transform(GridFootprint.Wgs84(grid), 4326, epsg);
            if (footprint.Intersects(utm)) tiles.Add(($"T{epsg}_{i:D2}_{j:D3}", grid));
        }
        return tiles;
    }

    private static void WriteBand(string path, RasterGrid tile, SentinelBand band, int variant)
    {
        var factor = band.ResolutionMetres / 10;
        var grid = Coarser(tile, factor);
        var b = SentinelBands.All.ToList().IndexOf(band);
        using var dataset = Create(path, grid, GdalDataType.UInt16);
        dataset.SetNoData(1, SentinelBands.NoData);
        dataset.SetBandDescription(1, band.Band);
        var rows = StripRows / factor;
        var strip = new ushort[grid.Width * rows];
        for (var y0 = 0; y0 < grid.Height; y0 += rows)
        {
            var h = Math.Min(rows, grid.Height - y0);
            Parallel.For(0, h, r =>
            {
                var (_, northing) = grid.Transform.PixelCenter(0, y0 + r);
                for (var c = 0; c < grid.Width; c++)
                {
                    var easting = grid.Transform.OriginX + (c + 0.5) * grid.Transform.PixelWidth;
                    var cover = Hash((long)Math.Floor(easting / 300), (long)Math.Floor(northing / 300), 17) & 1;
                    var noise = (int)(Hash((long)Math.Floor(easting), (long)Math.Floor(northing), variant * 31 + b) % 25) - 12;
                    strip[r * grid.Width + c] = (ushort)(Spectra[cover][b] + noise);
                }
            });
            dataset.Write<ushort>(1, 0, y0, grid.Width, h, strip.AsSpan(0, grid.Width * h));
        }
    }

    private static void WriteClouds(string path, RasterGrid tile, int variant)
    {
        var grid = Coarser(tile, 2);
        using var dataset = Create(path, grid, GdalDataType.Byte);
        dataset.SetNoData(1, SentinelBands.CloudNoData);
        dataset.SetBandDescription(1, SentinelBands.CloudAsset);
        var rows = StripRows / 2;
        var strip = new byte[grid.Width * rows];
        for (var y0 = 0; y0 < grid.Height; y0 += rows)
        {
            var h = Math.Min(rows, grid.Height - y0);
            for (var r = 0; r < h; r++)
            {
                var (_, northing) = grid.Transform.PixelCenter(0, y0 + r);
                for (var c = 0; c < grid.Width; c++)
                {
                    var easting = grid.Transform.OriginX + (c + 0.5) * grid.Transform.PixelWidth;
                    var cloudy = Hash((long)Math.Floor(easting / 1200), (long)Math.Floor(northing / 1200), 1000 + variant) % 5 == 0;
                    strip[r * grid.Width + c] = cloudy ? SentinelBands.Cloud : SentinelBands.Clear;
                }
            }
            dataset.Write<byte>(1, 0, y0, grid.Width, h, strip.AsSpan(0, grid.Width * h));
        }
    }

    private static GdalDataset Create(string path, RasterGrid grid, GdalDataType type)
    {
        var dataset = GdalDataset.Create("GTiff", path, grid.Width, grid.Height, 1, type, Options);
        dataset.GeoTransform = grid.Transform;
        dataset.ProjectionWkt = grid.Wkt;
        return dataset;
    }

    private static RasterGrid Coarser(RasterGrid grid, int factor) =>
        new(grid.Epsg, grid.Transform with { PixelWidth = grid.Transform.PixelWidth * factor, PixelHeight = grid.Transform.PixelHeight * factor },
            grid.Width / factor, grid.Height / factor);

    /// <summary>A well-mixed non-negative hash of a cell (SplitMix64 finaliser).</summary>
    private static ulong Hash(long x, long y, int salt)
    {
        var z = unchecked((ulong)x * 0x9E3779B97F4A7C15UL ^ (ulong)y * 0xC2B2AE3D27D4EB4FUL ^ (ulong)salt * 0x165667B19E3779F9UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static byte[] Item(string id, DateTimeOffset datetime, RasterGrid grid, string assetsFolder)
    {
        var footprint = GridFootprint.Wgs84(grid).ConvexHull();
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type", "Feature");
            w.WriteString("stac_version", "1.0.0");
            w.WriteString("id", id);
            w.WritePropertyName("geometry");
            GeoJsonWriter.WriteGeometry(w, footprint, decimals: 7);
            var e = footprint.EnvelopeInternal;
            w.WriteStartArray("bbox");
            foreach (var v in new[] { e.MinX, e.MinY, e.MaxX, e.MaxY }) w.WriteNumberValue(Math.Round(v, 7));
            w.WriteEndArray();
            w.WriteStartObject("properties");
            w.WriteString("datetime", datetime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            w.WriteString("platform", "synthetic-sentinel-2");
            w.WriteNumber("proj:epsg", grid.Epsg);
            w.WriteEndObject();
            w.WriteStartObject("assets");
            foreach (var asset in SentinelBands.RequiredAssets)
            {
                w.WriteStartObject(asset);
                w.WriteString("href", $"../assets/{assetsFolder}/{asset}.tif");
                w.WriteString("type", "image/tiff; application=geotiff");
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteStartArray("links");
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
