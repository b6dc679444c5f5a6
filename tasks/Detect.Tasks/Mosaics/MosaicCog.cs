using Detect.Tasks.Imagery;
using Detect.Tasks.Native.Gdal;

namespace Detect.Tasks.Mosaics;

/// <summary>
/// Mosaics as COG files: 12 float32 bands described B01 … B12 (model order), nodata NaN — the
/// per-period mosaic product (<c>runs/&lt;run_id&gt;/mosaics/&lt;tile&gt;/&lt;window&gt;.tif</c>).
/// </summary>
public static class MosaicCog
{
    public static void Write(Mosaic mosaic, string path)
    {
        var bands = Enumerable.Range(0, SentinelBands.Count)
            .Select(b => new ReadOnlyMemory<float>(mosaic.Data, b * mosaic.PixelCount, mosaic.PixelCount)).ToList();
        Cog.Write(path, mosaic.Grid, bands, SentinelBands.All.Select(b => b.Band).ToList(), double.NaN);
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
