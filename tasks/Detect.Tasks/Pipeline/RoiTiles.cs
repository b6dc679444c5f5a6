using Detect.Engine;
using Detect.Tasks.Geo.GeoJson;
using Detect.Tasks.Tiling;

namespace Detect.Tasks.Pipeline;

/// <summary>
/// The tiles that cover a run's ROI (boundaries/&lt;roi&gt;.geojson in the store). A function of the ROI alone, so
/// the per-tile tasks can be planned before the run (<see cref="IPlansDynamicRequirements"/>) exactly as the run
/// will ask for them. Every task that lists a run's tiles (Heatmaps, PatchClassifier, DetectBlobsTiled, and
/// through them the CWL export) asks this, never its own cover.
/// </summary>
internal static class RoiTiles
{
    public static async Task<IReadOnlyList<Tile>> CoverAsync(TargetResolver targets, string roi, CancellationToken ct)
    {
        var file = new RoiFile { Roi = roi }.Output().Single();
        return RoiTiler.Cover(GeoJsonReader.ReadArea(await targets.ReadTextAsync(file, ct), targets.UriOf(file)));
    }

    /// <summary>
    /// The cover's tiles, each with its mosaic group (<see cref="TileGroups"/>) as the comma-separated ids Heatmap and
    /// PatchTile take (<c>--mosaic-group</c>): the per-tile tasks of both ask for the same Mosaic task per group.
    /// </summary>
    public static IReadOnlyList<(Tile Tile, string Group)> MosaicGroups(IReadOnlyList<Tile> cover)
    {
        var groups = TileGroups.Of(cover);
        return [.. cover.Select(t => (t, string.Join(',', groups[t.Id].Select(m => m.Id))))];
    }
}
