using Detect.Tasks.Imagery;
using Detect.Tasks.Native.Gdal;

namespace Detect.Tasks.Mosaics;

/// <summary>Reads one scene onto a target grid: cloud mask (nearest) and 12 bands (bilinear), as UInt16 DNs.</summary>
public static class SceneResampler
{
    /// <summary>
    /// Fills <paramref name="clear"/> (1 = clear: cloud mask 0 and every band has data) and, where any pixel is
    /// clear, <paramref name="bands"/> (band-major, 12 × grid pixels, 0 = nodata). Returns the number of clear
    /// pixels; a fully clouded or non-overlapping scene returns 0 without reading its bands.
    /// </summary>
    public static int Read(StacItem item, RasterGrid grid, Span<ushort> bands, Span<byte> clear)
    {
        var n = grid.PixelCount;
        if (bands.Length < SentinelBands.Count * n || clear.Length < n)
            throw new ArgumentException($"Buffers too small for a {grid.Width}x{grid.Height} grid.");
        Warp(item, SentinelBands.CloudAsset, grid, Resampling.Nearest, SentinelBands.CloudNoData, GdalDataType.Byte, clear);
        var clearCount = 0;
        for (var i = 0; i < n; i++)
        {
            var isClear = clear[i] == SentinelBands.Clear ? (byte)1 : (byte)0;
            clear[i] = isClear;
            clearCount += isClear;
        }
        if (clearCount == 0) return 0;

        for (var b = 0; b < SentinelBands.Count; b++)
        {
            var band = bands.Slice(b * n, n);
            Warp(item, SentinelBands.All[b].Asset, grid, Resampling.Bilinear, SentinelBands.NoData, GdalDataType.UInt16, band);
            for (var i = 0; i < n; i++)
                if (band[i] == SentinelBands.NoData && clear[i] != 0) { clear[i] = 0; clearCount--; }
        }
        return clearCount;
    }

    private static void Warp<T>(StacItem item, string asset, RasterGrid grid, Resampling resampling, double noData,
        GdalDataType type, Span<T> result) where T : unmanaged
    {
        using var source = item.OpenAsset(asset);
        try
        {
            GdalWarp.BandToGrid(source, grid, resampling, noData, noData, type, result);
        }
        catch (GdalException e)
        {
            throw new ImageryException($"STAC item '{item.Id}' asset '{asset}' could not be resampled: {e.Message}", e);
        }
    }
}
