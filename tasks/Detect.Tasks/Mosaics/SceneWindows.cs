using Detect.Tasks.Imagery;
using Detect.Tasks.Native.Gdal;
using NetTopologySuite.Geometries;

namespace Detect.Tasks.Mosaics;

/// <summary>
/// Reads the window of a scene raster that a grid needs. For one grid: one windowed read, as
/// <see cref="SourceWindow.ReadValues{T}"/> makes it. For a group of neighbouring grids (the tiles of one Mosaic task):
/// the first grid to ask reads the union of all the group's windows once, and every grid is handed its own window cut
/// from it, value for value the window it would have read alone. A raster's blocks are decompressed whole (512 or
/// 1024 px), and a tile's window covers 2–3 of them per side, so neighbours reading alone decode the blocks along
/// their common edges twice or four times; read together each block is decoded once.
/// </summary>
/// <remarks>
/// The union stays in memory until <see cref="Release"/> says no grid of the group will ask for the scene again (the
/// mosaic builder releases a scene after the last acquisition that lists it): for a 2 × 2 group of 900 px tiles,
/// about 45 MB per granule.
/// </remarks>
public sealed class SceneWindows
{
    private readonly SceneAccess _access;
    private readonly IReadOnlyList<RasterGrid> _grids;
    private readonly IReadOnlyList<Geometry>? _outlines;
    private readonly Dictionary<(string Scene, string Asset), Shared> _shared = new();
    private readonly Dictionary<string, bool[]> _sharers = new(StringComparer.Ordinal);

    /// <param name="access">Opens the rasters.</param>
    /// <param name="grids">Every grid that will ask (one: no sharing).</param>
    /// <param name="outlines">
    /// The grids' outlines (WGS 84). A scene's union covers the grids whose outline its footprint covers: those read
    /// it first (<see cref="AcquisitionReader"/>); a grid that reads it only to fill its edge pixels reads alone, so an
    /// MGRS overlap does not widen the union to tiles that never use it. Null: every grid shares every scene.
    /// </param>
    public SceneWindows(SceneAccess access, IReadOnlyList<RasterGrid> grids, IReadOnlyList<Geometry>? outlines = null)
    {
        if (grids.Count == 0) throw new ArgumentException("SceneWindows needs at least one grid.", nameof(grids));
        if (outlines is not null && outlines.Count != grids.Count) throw new ArgumentException($"{grids.Count} grids but {outlines.Count} outlines.", nameof(outlines));
        _access = access;
        _grids = grids;
        _outlines = outlines;
    }

    /// <summary>Scene rasters read so far, each once however many grids used it (for tests and benchmarks).</summary>
    public int RastersRead { get; private set; }

    /// <summary>
    /// Band 1 of the scene's <paramref name="asset"/> over <paramref name="grid"/>'s footprint (+ <paramref name="margin"/>
    /// source pixels), edited by <paramref name="edit"/> (which must act pixel by pixel: it may run on the union);
    /// null when the grid misses the raster. Throws <see cref="GdalException"/> when the raster cannot be read.
    /// </summary>
    public SourceWindow.Values<T>? Read<T>(RecordedScene scene, string asset, string href, RasterGrid grid, int margin,
        Action<Span<T>>? edit = null) where T : unmanaged
    {
        var index = _grids.Count == 1 ? 0 : IndexOf(grid);
        var sharers = _grids.Count == 1 ? null : SharersOf(scene);
        if (sharers is null || !sharers[index])
        {
            using var alone = _access.Open(scene.Id, asset, href);
            RastersRead++;
            return SourceWindow.ReadValues(alone, grid, margin, edit);
        }
        if (!_shared.TryGetValue((scene.Id, asset), out var shared))
        {
            shared = ReadShared(scene, asset, href, margin, edit, sharers);
            _shared[(scene.Id, asset)] = shared;
        }
        if (shared.Margin != margin) throw new ArgumentException($"Asset '{asset}' of scene '{scene.Id}' was read with margin {shared.Margin}, not {margin}.");
        return shared.Rects[index] is { } rect ? Cut((SourceWindow.Values<T>)shared.Union!, shared.UnionRect, rect, shared.Transform) : null;
    }

    /// <summary>Forgets the scene's windows: no grid will ask for them again.</summary>
    public void Release(string sceneId)
    {
        foreach (var key in _shared.Keys.Where(k => k.Scene == sceneId).ToList()) _shared.Remove(key);
        _sharers.Remove(sceneId);
    }

    /// <summary>Which grids share the scene's union; null when fewer than two do (each then reads alone).</summary>
    private bool[]? SharersOf(RecordedScene scene)
    {
        if (!_sharers.TryGetValue(scene.Id, out var sharers))
        {
            var footprint = _outlines is null ? null : NetTopologySuite.Geometries.Prepared.PreparedGeometryFactory.Prepare(scene.Footprint);
            sharers = [.. Enumerable.Range(0, _grids.Count).Select(i => footprint is null || footprint.Covers(_outlines![i]))];
            _sharers[scene.Id] = sharers;
        }
        return sharers.Count(s => s) >= 2 ? sharers : null;
    }

    private int IndexOf(RasterGrid grid)
    {
        for (var i = 0; i < _grids.Count; i++)
            if (ReferenceEquals(_grids[i], grid) || _grids[i].Equals(grid)) return i;
        throw new ArgumentException("The grid is not one of this reader's grids.", nameof(grid));
    }

    /// <summary>Each sharing grid's window (as it would read it alone), and their union read once.</summary>
    private Shared ReadShared<T>(RecordedScene scene, string asset, string href, int margin, Action<Span<T>>? edit, bool[] sharers) where T : unmanaged
    {
        using var source = _access.Open(scene.Id, asset, href);
        var rects = _grids.Select((g, i) => sharers[i] ? SourceWindow.Window(source, g, margin) : null).ToArray();
        var present = rects.Where(r => r is not null).Select(r => r!.Value).ToList();
        if (present.Count == 0) return new Shared(margin, rects, default, null, source.GeoTransform);
        var x0 = present.Min(r => r.X);
        var y0 = present.Min(r => r.Y);
        var x1 = present.Max(r => r.X + r.Width);
        var y1 = present.Max(r => r.Y + r.Height);
        var values = new T[(x1 - x0) * (y1 - y0)];
        source.Read<T>(1, x0, y0, x1 - x0, y1 - y0, values);
        RastersRead++;
        edit?.Invoke(values);
        var lattice = new SourceWindow.Lattice(source.GeoTransform, x1 - x0, y1 - y0, source.ProjectionWkt, source.GetNoData(1));
        return new Shared(margin, rects, (x0, y0, x1 - x0, y1 - y0), new SourceWindow.Values<T>(values, lattice), source.GeoTransform);
    }

    /// <summary>One grid's window out of the union, with the lattice a read of that window alone would have.</summary>
    private static SourceWindow.Values<T> Cut<T>(SourceWindow.Values<T> union, (int X, int Y, int Width, int Height) unionRect,
        (int X, int Y, int Width, int Height) rect, GeoTransform transform) where T : unmanaged
    {
        var values = new T[rect.Width * rect.Height];
        for (var r = 0; r < rect.Height; r++)
            union.Data.AsSpan((rect.Y - unionRect.Y + r) * unionRect.Width + rect.X - unionRect.X, rect.Width)
                .CopyTo(values.AsSpan(r * rect.Width, rect.Width));
        var (originX, originY) = transform.Apply(rect.X, rect.Y);
        var lattice = union.Lattice with { Transform = transform with { OriginX = originX, OriginY = originY }, Width = rect.Width, Height = rect.Height };
        return new SourceWindow.Values<T>(values, lattice);
    }

    /// <param name="Union">A <see cref="SourceWindow.Values{T}"/> of the raster's type; null when no grid meets the raster.</param>
    private sealed record Shared(int Margin, (int X, int Y, int Width, int Height)?[] Rects, (int X, int Y, int Width, int Height) UnionRect,
        object? Union, GeoTransform Transform);
}
