using Detect.Tasks.Imagery;
using Detect.Tasks.Native.Gdal;

namespace Detect.Tasks.Mosaics;

/// <summary>
/// Mosaics as COG files: 12 float32 bands described B01 … B12 (model order), nodata NaN — the
/// per-period mosaic product (<c>runs/&lt;run_id&gt;/mosaics/&lt;tile&gt;/&lt;window&gt;.tif</c>).
/// </summary>
public static class MosaicCog
{
    /// <summary>
    /// ZSTD level 1 with the floating-point predictor, 256 px blocks, no overviews. A tile writes 8 of these (12 × 900²
    /// float32 each); with the general <see cref="Cog.DefaultOptions"/> (DEFLATE level 6, cubic overviews) writing them
    /// took ~29 % of a Bali tile's CPU time. Measured on one 900 px mosaic (gdal_translate, CPU s; size): DEFLATE 6 +
    /// cubic overviews 2.0 s, 15.9 MB; DEFLATE 1 + average overviews 1.3 s, 12.6 MB; ZSTD 1 + average overviews 1.1 s,
    /// 11.6 MB; ZSTD 1 without overviews 0.33–0.39 s, 8.2 MB. Overviews are left out: a tile is 900 px, which a viewer
    /// draws whole at any zoom, and a province-wide view goes through a VRT of the tiles, whose overviews
    /// <c>gdaladdo</c> builds once for the whole. Values are lossless. GDAL ≥ 2.3 and QGIS read ZSTD GeoTIFFs.
    /// </summary>
    public static readonly IReadOnlyList<string> CreationOptions =
        ["COMPRESS=ZSTD", "LEVEL=1", "PREDICTOR=YES", "BLOCKSIZE=256", "OVERVIEWS=NONE"];

    public static void Write(Mosaic mosaic, string path)
    {
        var bands = Enumerable.Range(0, SentinelBands.Count)
            .Select(b => new ReadOnlyMemory<float>(mosaic.Data, b * mosaic.PixelCount, mosaic.PixelCount)).ToList();
        Cog.Write(path, mosaic.Grid, bands, SentinelBands.All.Select(b => b.Band).ToList(), double.NaN, CreationOptions);
    }

    /// <summary>Reads a mosaic COG back (valid = not NaN in band 1; observation counts become 1 where valid).</summary>
    public static Mosaic Read(string path)
    {
        using var dataset = GdalDataset.Open(path);
        if (dataset.BandCount != SentinelBands.Count)
            throw new GdalException($"Mosaic '{path}' has {dataset.BandCount} bands; {SentinelBands.Count} are expected.", path);
        using var srs = dataset.SpatialReference();
        var epsg = srs.Epsg ?? throw new GdalException($"Mosaic '{path}' has a CRS without an EPSG code.", path);
        var grid = new RasterGrid(epsg, dataset.GeoTransform, dataset.Width, dataset.Height);
        var data = new float[SentinelBands.Count * grid.PixelCount];
        for (var b = 0; b < SentinelBands.Count; b++)
            dataset.Read<float>(b + 1, 0, 0, grid.Width, grid.Height, data.AsSpan(b * grid.PixelCount, grid.PixelCount));
        var observations = new ushort[grid.PixelCount];
        for (var i = 0; i < observations.Length; i++) observations[i] = float.IsNaN(data[i]) ? (ushort)0 : (ushort)1;
        return new Mosaic(grid, data, observations);
    }
}
