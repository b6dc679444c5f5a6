using Detect.Tasks.Imagery;
using Detect.Tasks.Native.Gdal;

namespace Detect.Tasks.Mosaics;

/// <summary>
/// Reads one recorded scene onto a target grid: its cloud mask (nearest) and 12 bands (bilinear) as UInt16 DNs,
/// each raster read once for the grid's window, with the processing-baseline offset removed. Bands whose windows lie
/// on one lattice (the 10 m, 20 m and 60 m bands of a scene) are resampled together. Under a tile of the scene's own
/// zone no warper runs: the 10 m bands are copied, the 20 m and 60 m bands and the mask resampled by the written-out
/// kernels (<see cref="LatticeBilinear"/>, <see cref="LatticeNearest"/>); a scene of another zone goes through GDAL's
/// warper, one warp per lattice, each band exactly as warped alone.
/// </summary>
public static class SceneResampler
{
    /// <summary>SCL classes that hide the surface: 3 cloud shadow, 8/9 cloud medium/high probability, 10 thin cirrus.</summary>
    public static readonly IReadOnlySet<byte> SclCloudClasses = new HashSet<byte> { 3, 8, 9, 10 };

    /// <summary>SCL class 0: no data.</summary>
    public const byte SclNoData = 0;

    /// <summary>
    /// Fills <paramref name="state"/> with a <see cref="PixelState"/> per grid pixel (clear: the mask says clear and
    /// every band has data; hidden: the mask says cloud, cirrus or shadow; no data: outside the scene's data) and,
    /// where any pixel is clear, <paramref name="bands"/> (band-major, 12 × grid pixels, 0 = nodata; offset removed).
    /// Returns the number of clear pixels; a fully hidden or non-overlapping scene returns 0 without reading its bands
    /// (its states then come from the mask alone).
    /// </summary>
    public static int Read(RecordedScene scene, RasterGrid grid, SceneAccess access, Span<ushort> bands, Span<byte> state) =>
        Read(scene, grid, new SceneWindows(access, [grid]), bands, state);

    /// <summary>The same, with the rasters' windows from <paramref name="access"/> (shared by a group of grids).</summary>
    public static int Read(RecordedScene scene, RasterGrid grid, SceneWindows access, Span<ushort> bands, Span<byte> state)
    {
        var n = grid.PixelCount;
        if (bands.Length < SentinelBands.Count * n || state.Length < n)
            throw new ArgumentException($"Buffers too small for a {grid.Width}x{grid.Height} grid.");
        var clearCount = ReadMask(scene, grid, access, state[..n]);
        if (clearCount == 0) return 0;

        ReadBands(scene, grid, access, bands[..(SentinelBands.Count * n)]);
        for (var b = 0; b < SentinelBands.Count; b++)
        {
            // Nodata DNs are few (scene edges), so the band is searched for them (vectorised) rather than walked.
            var band = bands.Slice(b * n, n);
            for (var i = band.IndexOf(SentinelBands.NoData); i >= 0;)
            {
                if (state[i] == PixelState.Clear) clearCount--;
                state[i] = PixelState.NoData;
                var next = band[(i + 1)..].IndexOf(SentinelBands.NoData);
                i = next < 0 ? -1 : i + 1 + next;
            }
        }
        return clearCount;
    }

    /// <summary>The 12 bands onto the grid, band-major: each band's window read once, then copied, resampled or warped (one warp per lattice).</summary>
    private static void ReadBands(RecordedScene scene, RasterGrid grid, SceneWindows access, Span<ushort> bands)
    {
        var n = grid.PixelCount;
        var windows = new List<(int Band, SourceWindow.Values<ushort> Window)>();
        for (var b = 0; b < SentinelBands.Count; b++)
        {
            var asset = SentinelBands.All[b].Asset;
            var href = scene.Href(asset);
            SourceWindow.Values<ushort>? window;
            // The offset is removed from the source DNs, before resampling: GDAL's UInt16 bilinear interpolates in
            // float32, where v + 1000 does not always round like v, so removing it afterwards would make an offset scene
            // differ from its offset-free twin by ±1 DN.
            try
            {
                window = access.Read<ushort>(scene, asset, href, grid, margin: 2,
                    scene.Offset > 0 ? values => ProcessingBaseline.Remove(values, scene.Offset) : null);
            }
            catch (GdalException e)
            {
                throw new ImageryException($"Scene '{scene.Id}' asset '{asset}' ({href}) could not be read: {e.Message}", e);
            }
            var target = bands.Slice(b * n, n);
            if (window is null) target.Fill(SentinelBands.NoData); // the scene misses the grid
            // Under a tile of the scene's zone (the usual case) the window is copied or resampled where it is;
            // otherwise (another zone) it waits for one warp with the other windows of its lattice.
            else if (!GdalWarp.TryWindowToGrid(window, grid, Resampling.Bilinear, SentinelBands.NoData, SentinelBands.NoData, target))
                windows.Add((b, window));
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

    /// <summary>The pixel states the scene's mask gives (bands not looked at yet); returns how many are clear.</summary>
    private static int ReadMask(RecordedScene scene, RasterGrid grid, SceneWindows access, Span<byte> state)
    {
        switch (scene.Mask.Source)
        {
            case CloudMaskMode.None:
                state.Fill(PixelState.Clear);
                return state.Length;
            case CloudMaskMode.Asset:
                Warp(scene, SentinelBands.CloudAsset, MaskHref(scene), access, grid, Resampling.Nearest, SentinelBands.CloudNoData, GdalDataType.Byte, state);
                return Classify(state, v => v == SentinelBands.CloudNoData ? PixelState.NoData : v == SentinelBands.Clear ? PixelState.Clear : PixelState.Hidden);
            case CloudMaskMode.Scl:
                // 20 m SCL onto the 10 m grid, nearest (classes must not be interpolated); outside the raster is 0 = nodata.
                Warp(scene, SentinelBands.SclAsset, MaskHref(scene), access, grid, Resampling.Nearest, SclNoData, GdalDataType.Byte, state);
                return Classify(state, v => v == SclNoData ? PixelState.NoData : SclCloudClasses.Contains(v) ? PixelState.Hidden : PixelState.Clear);
            default:
                throw new ImageryException($"Scene '{scene.Id}' has cloud mask mode '{scene.Mask.Source}', which a record cannot hold.");
        }
    }

    private static string MaskHref(RecordedScene scene) =>
        scene.Mask.Href ?? throw new ImageryException($"Scene '{scene.Id}' has a {scene.Mask.Source} cloud mask without an href in its record.");

    /// <summary>Mask values to pixel states, in place (a lookup per value: masks are bytes); returns the clear count.</summary>
    private static int Classify(Span<byte> values, Func<byte, byte> toState)
    {
        Span<byte> lookup = stackalloc byte[256];
        for (var v = 0; v < 256; v++) lookup[v] = toState((byte)v);
        var count = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var s = lookup[values[i]];
            values[i] = s;
            if (s == PixelState.Clear) count++;
        }
        return count;
    }

    /// <summary>One mask raster onto the grid (its window read once, then warped).</summary>
    private static void Warp<T>(RecordedScene scene, string asset, string href, SceneWindows access, RasterGrid grid, Resampling resampling,
        double noData, GdalDataType type, Span<T> result) where T : unmanaged
    {
        try
        {
            // The window the grid needs is read once (one windowed read, whatever the resampling then asks for).
            if (access.Read<T>(scene, asset, href, grid, margin: 2) is not { } values) // the scene misses the grid: all nodata
            {
                result[..grid.PixelCount].Fill((T)Convert.ChangeType(noData, typeof(T), System.Globalization.CultureInfo.InvariantCulture));
                return;
            }
            using var window = SourceWindow.ToDataset([values]);
            GdalWarp.BandToGrid(window, grid, resampling, noData, noData, type, result);
        }
        catch (GdalException e)
        {
            throw new ImageryException($"Scene '{scene.Id}' asset '{asset}' ({href}) could not be resampled: {e.Message}", e);
        }
    }
}
