namespace Detect.Tasks.Tiling;

/// <summary>
/// Neighbouring tiles whose mosaics one Mosaic task builds together (<c>--with</c>), so the scene blocks they share
/// are decoded once: the tiles of a cover in aligned 2 × 2 blocks of tile columns and rows, per UTM zone. A 900 px
/// tile's window covers 2–3 of a scene raster's 512 or 1024 px blocks per side; alone, 2 × 2 neighbours decode ~1.7×
/// the blocks that they decode together (10 m bands: 4 × 7.7 blocks of 512 px against 20.6 for the group's window).
/// </summary>
public static class TileGroups
{
    /// <summary>Each tile of <paramref name="cover"/>'s group: its members in cover order, the first one leading.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<Tile>> Of(IReadOnlyList<Tile> cover)
    {
        var groups = new Dictionary<string, IReadOnlyList<Tile>>(StringComparer.Ordinal);
        foreach (var block in cover.GroupBy(t => (t.Epsg, X: FloorDiv(t.X, 2), Y: FloorDiv(t.Y, 2))))
        {
            var members = block.ToList();
            foreach (var tile in members) groups[tile.Id] = members;
        }
        return groups;
    }

    private static int FloorDiv(int a, int b) => (int)Math.Floor(a / (double)b);
}
