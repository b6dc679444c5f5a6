using Detect.Tasks.Geo;
using Detect.Tasks.Imagery;
using Detect.Tasks.Native.Gdal;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;

namespace Detect.Tasks.Mosaics;

/// <summary>
/// Builds cloud-masked composites: every acquisition that overlaps the grid is resampled onto it (see
/// <see cref="AcquisitionReader"/>: one observation per acquisition and pixel, however many granules of it the
/// search found), cloud and nodata pixels are dropped, and each band is reduced per pixel over the clear
/// observations. Memory: two acquisitions' buffers at a time for <see cref="MosaicMethod.Min"/>; every acquisition's
/// UInt16 bands for <see cref="MosaicMethod.Median"/> (25 B per pixel each, 20 MB for a 900 px tile).
/// </summary>
public static class MosaicBuilder
{
    /// <param name="grid">The target grid (a tile's padded grid).</param>
    /// <param name="scenes">The window's scenes; those not overlapping the grid are skipped unread.</param>
    /// <param name="access">Opens the rasters the scenes name.</param>
    public static Mosaic Build(RasterGrid grid, IEnumerable<RecordedScene> scenes, MosaicMethod method, SceneAccess access, CancellationToken ct = default) =>
        Build([grid], [scenes.ToList()], method, access, ct)[0];

    /// <summary>
    /// The mosaics of a group of neighbouring grids in one pass: each grid's mosaic is exactly what <see cref="Build(RasterGrid, IEnumerable{RecordedScene}, MosaicMethod, SceneAccess, CancellationToken)"/>
    /// makes of it alone, but a scene raster the grids share is read and decompressed once for all of them
    /// (<see cref="SceneWindows"/>). Memory: per grid a mosaic and an acquisition's buffers (~60 MB for a 900 px tile),
    /// plus the current acquisition's windows.
    /// </summary>
    /// <param name="scenes">Per grid, its scenes (a tile's scene record).</param>
    public static IReadOnlyList<Mosaic> Build(IReadOnlyList<RasterGrid> grids, IReadOnlyList<IReadOnlyList<RecordedScene>> scenes, MosaicMethod method,
        SceneAccess access, CancellationToken ct = default)
    {
        if (scenes.Count != grids.Count) throw new ArgumentException($"{grids.Count} grids but {scenes.Count} scene lists.", nameof(scenes));
        var outlines = grids.Select(GridFootprint.Wgs84).ToList();
        var windows = new SceneWindows(access, grids, outlines);
        var builds = new List<GridBuild>();
        AcquisitionReader? firstReader = null; // a min pass folds each read at once: its grids can share one reader's buffers
        for (var i = 0; i < grids.Count; i++)
        {
            var build = new GridBuild(grids[i], outlines[i], scenes[i], windows, method == MosaicMethod.Min ? firstReader : null);
            firstReader ??= build.Reader;
            builds.Add(build);
        }
        // Every grid's acquisitions in one time order (each grid's own order kept: the sort is stable), so a scene read
        // for one grid is at hand for the others; a scene's windows are dropped after its last use.
        var steps = builds.SelectMany((build, i) => build.Acquisitions.Select(acquisition => (Build: build, Order: i, Acquisition: acquisition)))
            .OrderBy(step => step.Acquisition[0].Datetime).ThenBy(step => step.Order).ToList();
        var uses = steps.SelectMany(step => step.Acquisition).GroupBy(scene => scene.Id).ToDictionary(g => g.Key, g => g.Count());
        foreach (var step in steps)
        {
            ct.ThrowIfCancellationRequested();
            step.Build.Add(step.Acquisition, method, ct);
            foreach (var scene in step.Acquisition)
                if (--uses[scene.Id] == 0) windows.Release(scene.Id);
        }
        return builds.Select(build => build.Finish(method)).ToList();
    }

    /// <summary>One grid's mosaic as it accumulates.</summary>
    private sealed class GridBuild
    {
        private readonly AcquisitionReader? _reader;
        private readonly Mosaic _mosaic;
        private readonly List<(ushort[] Bands, byte[] State)> _kept = [];

        /// <param name="shareBuffersWith">For a min mosaic, another grid's reader whose buffers this grid's reads reuse.</param>
        public GridBuild(RasterGrid grid, Geometry outline, IEnumerable<RecordedScene> scenes, SceneWindows windows, AcquisitionReader? shareBuffersWith)
        {
            var footprint = PreparedGeometryFactory.Prepare(outline);
            var overlapping = scenes.Where(s => footprint.Intersects(s.Footprint)).ToList();
            _mosaic = Mosaic.Empty(grid);
            Acquisitions = overlapping.Count == 0 ? [] : Mosaics.Acquisitions.Of(overlapping);
            if (overlapping.Count > 0) _reader = new AcquisitionReader(grid, outline, windows, shareBuffersWith);
        }

        /// <summary>Reads the grid's acquisitions (null when no scene overlaps the grid).</summary>
        public AcquisitionReader? Reader => _reader;

        /// <summary>The acquisitions whose granules overlap the grid, in time order.</summary>
        public IReadOnlyList<IReadOnlyList<RecordedScene>> Acquisitions { get; }

        public void Add(IReadOnlyList<RecordedScene> acquisition, MosaicMethod method, CancellationToken ct)
        {
            var (bands, state, clear) = _reader!.Read(acquisition, ct);
            if (clear == 0) return;
            if (method == MosaicMethod.Min) AccumulateMin(_mosaic, bands, state);
            else _kept.Add(_reader.TakeBuffers());
        }

        public Mosaic Finish(MosaicMethod method)
        {
            if (method == MosaicMethod.Median && _kept.Count > 0) ReduceMedian(_mosaic, _kept);
            return _mosaic;
        }
    }

    /// <summary>
    /// The same for items of a static catalog, each masked by its own <c>cloud</c> asset and read where its hrefs
    /// point (local files, /vsis3/ with the bucket's current GDAL options, /vsicurl/).
    /// </summary>
    public static Mosaic Build(RasterGrid grid, IEnumerable<StacItem> items, MosaicMethod method, CancellationToken ct = default) =>
        Build(grid, items.Select(RecordedScene.WithCloudAsset), method, new SceneAccess(null, ImageryOptions.Store, new Dictionary<string, BucketAccess>()), ct);

    /// <summary>Band by band over contiguous memory, vectorised (<see cref="MinComposite"/>).</summary>
    private static void AccumulateMin(Mosaic mosaic, ushort[] bands, byte[] state)
    {
        var n = mosaic.PixelCount;
        var clear = state.AsSpan(0, n);
        MinComposite.CountClear(mosaic.Observations.AsSpan(0, n), clear);
        for (var b = 0; b < SentinelBands.Count; b++)
            MinComposite.TakeMin(mosaic.Data.AsSpan(b * n, n), bands.AsSpan(b * n, n), clear);
    }

    private static void ReduceMedian(Mosaic mosaic, List<(ushort[] Bands, byte[] State)> scenes)
    {
        var n = mosaic.PixelCount;
        var scratch = new ushort[Math.Max(1, scenes.Count)];
        for (var i = 0; i < n; i++)
        {
            for (var b = 0; b < SentinelBands.Count; b++)
            {
                var offset = b * n + i;
                var count = 0;
                foreach (var (bands, state) in scenes)
                    if (state[i] == PixelState.Clear) scratch[count++] = bands[offset];
                if (count == 0) break;
                var values = scratch.AsSpan(0, count);
                values.Sort();
                mosaic.Data[offset] = count % 2 == 1 ? values[count / 2] : (values[count / 2 - 1] + values[count / 2]) / 2f;
                mosaic.Observations[i] = (ushort)count;
            }
        }
    }
}
