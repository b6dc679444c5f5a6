using Detect.Tasks.Imagery;
using Detect.Tasks.Native.Gdal;

namespace Detect.Tasks.Mosaics;

/// <summary>
/// Reads one recorded scene onto a target grid: its cloud mask (nearest) and 12 bands (bilinear) as UInt16 DNs,
/// each raster read once for the grid's window, with the processing-baseline offset removed. Bands whose windows lie
/// on one lattice (the 10 m, 20 m and 60 m bands of a scene) are resampled together, with one warp per lattice
/// instead of one per band; a band comes out exactly as warped alone.
/// </summary>
public static class SceneResampler
{
    /// <summary>SCL classes that hide the surface: 3 cloud shadow, 8/9 cloud medium/high probability, 10 thin cirrus.</summary>
    public static readonly IReadOnlySet<byte> SclCloudClasses = new HashSet<byte> { 3, 8, 9, 10 };

    /// <summary>SCL class 0: no data.</summary>
    public const byte SclNoData = 0;

    /// <summary>
    /// Fills <paramref name="clear"/> (1 = clear: the mask says clear and every band has data) and, where any pixel is
    /// clear, <paramref name="bands"/> (band-major, 12 × grid pixels, 0 = nodata; offset removed). Returns the number
    /// of clear pixels; a fully clouded or non-overlapping scene returns 0 without reading its bands.
    /// </summary>
    public static int Read(RecordedScene scene, RasterGrid grid, SceneAccess access, Span<ushort> bands, Span<byte> clear)
    {
        var n = grid.PixelCount;
        if (bands.Length < SentinelBands.Count * n || clear.Length < n)
            throw new ArgumentException($"Buffers too small for a {grid.Width}x{grid.Height} grid.");
        var clearCount = ReadMask(scene, grid, access, clear[..n]);
        if (clearCount == 0) return 0;

        ReadBands(scene, grid, access, bands[..(SentinelBands.Count * n)]);
        for (var b = 0; b < SentinelBands.Count; b++)
        {
            var band = bands.Slice(b * n, n);
            for (var i = 0; i < n; i++)
                if (band[i] == SentinelBands.NoData && clear[i] != 0) { clear[i] = 0; clearCount--; }
        }
        return clearCount;
    }

    /// <summary>The 12 bands onto the grid, band-major: each band's window read once, then one warp per lattice.</summary>
    private static void ReadBands(RecordedScene scene, RasterGrid grid, SceneAccess access, Span<ushort> bands)
    {
        var n = grid.PixelCount;
        var windows = new List<(int Band, SourceWindow.Values<ushort> Window)>();
        for (var b = 0; b < SentinelBands.Count; b++)
        {
            var asset = SentinelBands.All[b].Asset;
            var href = scene.Href(asset);
            using var source = access.Open(scene.Id, asset, href);
            SourceWindow.Values<ushort>? window;
            // The offset is removed from the source DNs, before resampling: GDAL's UInt16 bilinear interpolates in
            // float32, where v + 1000 does not always round like v, so removing it afterwards would make an offset scene
            // differ from its offset-free twin by ±1 DN.
            try
            {
                window = SourceWindow.ReadValues<ushort>(source, grid, margin: 2,
                    scene.Offset > 0 ? values => ProcessingBaseline.Remove(values, scene.Offset) : null);
            }
            catch (GdalException e)
            {
                throw new ImageryException($"Scene '{scene.Id}' asset '{asset}' ({href}) could not be read: {e.Message}", e);
            }
            if (window is null) bands.Slice(b * n, n).Fill(SentinelBands.NoData); // the scene misses the grid
            else windows.Add((b, window));
        }
        foreach (var group in windows.GroupBy(w => w.Window.Lattice))
        {
            var members = group.ToList();
            var resampled = new ushort[members.Count * n];
            try
            {
                using var dataset = SourceWindow.ToDataset(members.Select(m => m.Window).ToList());
                GdalWarp.BandsToGrid<ushort>(dataset, grid, Resampling.Bilinear, SentinelBands.NoData, SentinelBands.NoData, GdalDataType.UInt16, resampled);
            }
            catch (GdalException e)
            {
                var assets = string.Join(", ", members.Select(m => SentinelBands.All[m.Band].Asset));
                throw new ImageryException($"Scene '{scene.Id}' assets {assets} could not be resampled: {e.Message}", e);
            }
            for (var k = 0; k < members.Count; k++) resampled.AsSpan(k * n, n).CopyTo(bands.Slice(members[k].Band * n, n));
        }
    }

    /// <summary>1 where the scene's mask says the surface is visible; returns how many such pixels.</summary>
    private static int ReadMask(RecordedScene scene, RasterGrid grid, SceneAccess access, Span<byte> clear)
    {
        switch (scene.Mask.Source)
        {
            case CloudMaskMode.None:
                clear.Fill(1);
                return clear.Length;
            case CloudMaskMode.Asset:
                Warp(scene, SentinelBands.CloudAsset, MaskHref(scene), access, grid, Resampling.Nearest, SentinelBands.CloudNoData, GdalDataType.Byte, clear);
                return Threshold(clear, v => v == SentinelBands.Clear);
            case CloudMaskMode.Scl:
                // 20 m SCL onto the 10 m grid, nearest (classes must not be interpolated); outside the raster is 0 = nodata.
                Warp(scene, SentinelBands.SclAsset, MaskHref(scene), access, grid, Resampling.Nearest, SclNoData, GdalDataType.Byte, clear);
                return Threshold(clear, v => v != SclNoData && !SclCloudClasses.Contains(v));
            default:
                throw new ImageryException($"Scene '{scene.Id}' has cloud mask mode '{scene.Mask.Source}', which a record cannot hold.");
        }
    }

    private static string MaskHref(RecordedScene scene) =>
        scene.Mask.Href ?? throw new ImageryException($"Scene '{scene.Id}' has a {scene.Mask.Source} cloud mask without an href in its record.");

    private static int Threshold(Span<byte> values, Func<byte, bool> isClear)
    {
        var count = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var c = isClear(values[i]) ? (byte)1 : (byte)0;
            values[i] = c;
            count += c;
        }
        return count;
    }

    /// <summary>One mask raster onto the grid (its window read once, then warped).</summary>
    private static void Warp<T>(RecordedScene scene, string asset, string href, SceneAccess access, RasterGrid grid, Resampling resampling,
        double noData, GdalDataType type, Span<T> result) where T : unmanaged
    {
        using var source = access.Open(scene.Id, asset, href);
        try
        {
            // The window the grid needs is read once (one windowed read, whatever the resampling then asks for).
            using var window = SourceWindow.Read<T>(source, grid, margin: 2);
            if (window is null) // the scene misses the grid: all nodata
            {
                result[..grid.PixelCount].Fill((T)Convert.ChangeType(noData, typeof(T), System.Globalization.CultureInfo.InvariantCulture));
                return;
            }
            GdalWarp.BandToGrid(window, grid, resampling, noData, noData, type, result);
        }
        catch (GdalException e)
        {
            throw new ImageryException($"Scene '{scene.Id}' asset '{asset}' ({href}) could not be resampled: {e.Message}", e);
        }
    }
}
