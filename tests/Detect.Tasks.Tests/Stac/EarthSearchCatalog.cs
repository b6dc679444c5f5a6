using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Detect.Engine.Storage;
using Detect.Tasks.Imagery;
using Detect.Tasks.Native.Gdal;

namespace Detect.Tasks.Tests.Stac;

/// <summary>
/// Rewrites the synthetic scenes of a static catalog in Earth Search v1's shape: each scene an <c>sentinel-2-l1c</c>
/// item (id <c>S2B_50LQR_yyyymmdd_N_L1C</c>, grid:code, s2:processing_baseline, eo:cloud_cover, raster:bands) whose 12
/// bands are lossless JP2 (JP2OpenJPEG, QUALITY=100, REVERSIBLE=YES) in an S3 bucket with s3:// hrefs, and an
/// <c>sentinel-2-l2a</c> sibling whose <c>scl</c> COG (from the synthetic cloud mask) is served over http://.
/// Scenes with baseline ≥ 04.00 carry the +1000 DN offset in their pixels. Special items: a duplicate of one scene
/// with an older baseline, a scene without an L2A sibling, and one above the cloud-cover limit (both duplicate and
/// cloudy point at objects that do not exist, so a run that used them would fail).
/// </summary>
public static class EarthSearchCatalog
{
    public const string Grid = "50LQR";
    public const string L1c = "sentinel-2-l1c", L2a = "sentinel-2-l2a";
    private static readonly string[] Baselines = ["02.14", "04.00", "05.11"];

    public sealed record Built(List<JsonObject> L1cItems, List<JsonObject> L2aItems, string DuplicateOldId, string DuplicateNewId,
        string NoSiblingId, string CloudyId, IReadOnlyList<string> OffsetIds, IReadOnlyList<string> PlainIds);

    /// <param name="scenes">Synthetic items (store catalog, file:// hrefs), in time order.</param>
    /// <param name="bucket">Where the JP2 bands go (a store on the bucket's root).</param>
    /// <param name="httpRoot">Folder the SCL COGs are written to; <paramref name="httpBase"/> is the URL that serves it.</param>
    public static async Task<Built> BuildAsync(IReadOnlyList<StacItem> scenes, IObjectStore bucket, string bucketName, string region,
        string httpRoot, string httpBase, string scratch)
    {
        var l1c = new List<JsonObject>();
        var l2a = new List<JsonObject>();
        var offsetIds = new List<string>();
        var plainIds = new List<string>();
        string? dupOld = null, dupNew = null, noSibling = null;
        for (var i = 0; i < scenes.Count; i++)
        {
            var scene = scenes[i];
            var baseline = Baselines[i % Baselines.Length];
            var duplicated = i == 1;
            var sequence = duplicated ? 1 : 0;
            var id = Id(scene, sequence, "L1C");
            var prefix = TilePrefix(scene, sequence);
            var offset = ProcessingBaseline.OffsetDn(baseline);
            (offset > 0 ? offsetIds : plainIds).Add(id);
            var hrefs = new Dictionary<string, string>();
            foreach (var band in SentinelBands.All)
            {
                var key = $"{prefix}{band.Band}.jp2";
                var jp2 = Path.Combine(scratch, $"{id}_{band.Band}.jp2");
                WriteJp2(scene.GdalPath(band.Asset), jp2, offset);
                await bucket.PublishFileAsync(key, jp2);
                File.Delete(jp2);
                hrefs[band.Asset] = $"s3://{bucketName}/{key}";
            }
            l1c.Add(Item(id, L1c, scene, baseline, CloudCover(i), hrefs, region, null));
            if (duplicated)
            {
                // The same scene (tile + datetime) in an older baseline: it must lose to the newer one.
                dupNew = id;
                dupOld = Id(scene, 0, "L1C");
                var stale = SentinelBands.All.ToDictionary(b => b.Asset, b => $"s3://{bucketName}/{TilePrefix(scene, 0)}missing/{b.Band}.jp2");
                l1c.Add(Item(dupOld, L1c, scene, "02.07", CloudCover(i), stale, region, null));
            }
            if (i == scenes.Count - 1)
            {
                noSibling = id; // its L2A is missing: skipped under --cloud-mask scl
                continue;
            }
            var l2aId = Id(scene, sequence, "L2A");
            var sclPath = $"sentinel-cogs/sentinel-s2-l2a-cogs/{Grid[..2]}/{Grid[2]}/{Grid[3..]}/{scene.Datetime:yyyy}/{scene.Datetime.Month}/{l2aId}/SCL.tif";
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(httpRoot, sclPath))!);
            WriteScl(scene.GdalPath(SentinelBands.CloudAsset), Path.Combine(httpRoot, sclPath), i);
            // Every other sibling links back to its L1C (derived_from); the others match on grid code and datetime.
            l2a.Add(Item(l2aId, L2a, scene, baseline, CloudCover(i), new Dictionary<string, string> { ["scl"] = httpBase.TrimEnd('/') + "/" + sclPath },
                region, i % 2 == 0 ? id : null));
        }
        // Above --max-cloud-cover: filtered by the search's query; its assets do not exist.
        var cloudyScene = scenes[scenes.Count / 2];
        var cloudyId = $"S2A_{Grid}_{cloudyScene.Datetime.AddHours(1):yyyyMMdd}_7_L1C";
        var cloudyHrefs = SentinelBands.All.ToDictionary(b => b.Asset, b => $"s3://{bucketName}/tiles/cloudy/{b.Band}.jp2");
        l1c.Add(Item(cloudyId, L1c, cloudyScene with { Datetime = cloudyScene.Datetime.AddHours(1) }, "05.11", 95, cloudyHrefs, region, null));
        return new Built(l1c, l2a, dupOld!, dupNew!, noSibling!, cloudyId, offsetIds, plainIds);
    }

    public static string Id(StacItem scene, int sequence, string level) => $"S2B_{Grid}_{scene.Datetime:yyyyMMdd}_{sequence}_{level}";

    private static string TilePrefix(StacItem scene, int sequence) =>
        $"tiles/{Grid[..2]}/{Grid[2]}/{Grid[3..]}/{scene.Datetime:yyyy}/{scene.Datetime.Month}/{scene.Datetime.Day}/{sequence}/";

    private static double CloudCover(int i) => 5 + i * 3 % 60;

    /// <summary>A lossless JP2 of one band, with the baseline's DN offset added to every pixel but nodata.</summary>
    public static void WriteJp2(string sourcePath, string jp2Path, int offset)
    {
        using var source = GdalDataset.Open(sourcePath);
        var values = source.ReadBand<ushort>(1);
        if (offset > 0)
            for (var k = 0; k < values.Length; k++)
                if (values[k] != 0) values[k] = (ushort)(values[k] + offset);
        using var srs = source.SpatialReference();
        var grid = new RasterGrid(srs.Epsg!.Value, source.GeoTransform, source.Width, source.Height);
        using var memory = grid.CreateDataset(1, GdalDataType.UInt16);
        memory.WriteBand<ushort>(1, values);
        memory.SetNoData(1, 0);
        memory.CopyTo("JP2OpenJPEG", jp2Path, ["QUALITY=100", "REVERSIBLE=YES", "YCC=NO"]);
    }

    /// <summary>An SCL COG from a synthetic cloud mask: cloud → 9/8/3/10 (by scene), clear → 4 or 6, nodata → 0.</summary>
    private static void WriteScl(string cloudPath, string sclPath, int sceneIndex)
    {
        using var source = GdalDataset.Open(cloudPath);
        var mask = source.ReadBand<byte>(1);
        byte cloudClass = new byte[] { 9, 8, 3, 10 }[sceneIndex % 4];
        var scl = mask.Select((v, k) => v switch { SentinelBands.Cloud => cloudClass, SentinelBands.CloudNoData => (byte)0, _ => k % 7 == 0 ? (byte)6 : (byte)4 }).ToArray();
        using var srs = source.SpatialReference();
        var grid = new RasterGrid(srs.Epsg!.Value, source.GeoTransform, source.Width, source.Height);
        Cog.Write<byte>(sclPath, grid, [scl], ["SCL"], 0);
    }

    private static JsonObject Item(string id, string collection, StacItem scene, string baseline, double cloudCover,
        IReadOnlyDictionary<string, string> hrefs, string region, string? derivedFrom)
    {
        var offset = ProcessingBaseline.OffsetDn(baseline) > 0 ? -0.1 : 0.0;
        var assets = new JsonObject();
        foreach (var (key, href) in hrefs)
            assets[key] = key == "scl"
                ? new JsonObject { ["href"] = href, ["type"] = "image/tiff; application=geotiff; profile=cloud-optimized", ["roles"] = new JsonArray("data") }
                : new JsonObject
                {
                    ["href"] = href, ["type"] = "image/jp2", ["roles"] = new JsonArray("data"),
                    ["raster:bands"] = new JsonArray(new JsonObject { ["nodata"] = 0, ["data_type"] = "uint16", ["scale"] = 0.0001, ["offset"] = offset }),
                };
        var links = new JsonArray(new JsonObject { ["rel"] = "collection", ["href"] = "../" });
        if (derivedFrom is not null) links.Add(new JsonObject { ["rel"] = "derived_from", ["href"] = $"https://example.invalid/v1/collections/{L1c}/items/{derivedFrom}" });
        using var footprint = JsonDocument.Parse(Detect.Tasks.Geo.GeoJson.GeoJsonWriter.GeometryToJson(scene.Footprint, decimals: 7));
        return new JsonObject
        {
            ["type"] = "Feature", ["stac_version"] = "1.0.0", ["id"] = id, ["collection"] = collection,
            ["geometry"] = JsonNode.Parse(footprint.RootElement.GetRawText()),
            ["bbox"] = new JsonArray(scene.Footprint.EnvelopeInternal.MinX, scene.Footprint.EnvelopeInternal.MinY,
                scene.Footprint.EnvelopeInternal.MaxX, scene.Footprint.EnvelopeInternal.MaxY),
            ["properties"] = new JsonObject
            {
                ["datetime"] = scene.Datetime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                ["eo:cloud_cover"] = cloudCover, ["grid:code"] = "MGRS-" + Grid, ["mgrs:utm_zone"] = 50,
                ["s2:processing_baseline"] = baseline, ["proj:epsg"] = 32750, ["storage:region"] = region,
            },
            ["assets"] = assets, ["links"] = links,
        };
    }
}
