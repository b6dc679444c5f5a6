namespace Detect.Tasks.Analysis.Sites;

/// <summary>
/// The original pipeline's iterative radius clustering of blob points: every point moves to the mean of all points
/// within <c>mergeRadius</c> of it (its neighbour set, itself included); the distinct means become the next points;
/// this repeats until the number of distinct neighbour sets is the same as in the previous round.
/// </summary>
/// <remarks>
/// Distances are planar in degrees (as the original's KD-tree ball query), and "within" is inclusive: points exactly
/// <c>mergeRadius</c> apart are neighbours (a 1e-12° slack absorbs rounding of the subtraction). Results are sorted by
/// longitude, then latitude, and named <c>site_1..n</c> in that order, so the output does not depend on input order.
/// </remarks>
public static class SiteMerger
{
    public const double DefaultMergeRadius = 0.005;
    private const double Slack = 1e-12;
    private const int MaxRounds = 10_000;

    public static IReadOnlyList<Site> Merge(IEnumerable<(double Lon, double Lat)> points, double mergeRadius = DefaultMergeRadius)
    {
        if (!(mergeRadius > 0)) throw new ArgumentException($"mergeRadius must be > 0 degrees (got {mergeRadius}).", nameof(mergeRadius));
        // The first round uses every input point, duplicates included (a blob seen by two overlapping tiles weighs twice).
        var current = points.Select(p =>
        {
            if (!double.IsFinite(p.Lon) || !double.IsFinite(p.Lat)) throw new ArgumentException($"Site point ({p.Lon}, {p.Lat}) is not finite.", nameof(points));
            return p;
        }).OrderBy(p => p.Lon).ThenBy(p => p.Lat).ToList();
        int previousSetCount = -1;
        for (int round = 0; round < MaxRounds && current.Count > 0; round++)
        {
            var sets = DistinctNeighbourSets(current, mergeRadius);
            var means = Distinct(sets.Select(set => Mean(current, set)));
            bool stable = sets.Count == previousSetCount;
            previousSetCount = sets.Count;
            current = means;
            if (stable) break;
        }
        return current.OrderBy(p => p.Lon).ThenBy(p => p.Lat)
            .Select((p, i) => new Site($"site_{i + 1}", p.Lon, p.Lat)).ToList();
    }

    private static List<(double Lon, double Lat)> Distinct(IEnumerable<(double Lon, double Lat)> points) =>
        points.Distinct().OrderBy(p => p.Lon).ThenBy(p => p.Lat).ToList();

    private static (double, double) Mean(List<(double Lon, double Lat)> pts, int[] set)
    {
        double lon = 0, lat = 0;
        foreach (int i in set) { lon += pts[i].Lon; lat += pts[i].Lat; }
        return (lon / set.Length, lat / set.Length);
    }

    /// <summary>Each point's neighbour set (sorted indices), deduplicated, in order of first occurrence.</summary>
    private static List<int[]> DistinctNeighbourSets(List<(double Lon, double Lat)> pts, double radius)
    {
        var grid = new Dictionary<(long, long), List<int>>();
        for (int i = 0; i < pts.Count; i++)
        {
            var key = Cell(pts[i], radius);
            if (!grid.TryGetValue(key, out var bucket)) grid[key] = bucket = [];
            bucket.Add(i);
        }
        var seen = new HashSet<string>();
        var sets = new List<int[]>();
        double limit = radius + Slack;
        var members = new List<int>();
        for (int i = 0; i < pts.Count; i++)
        {
            members.Clear();
            var (cx, cy) = Cell(pts[i], radius);
            for (long gx = cx - 1; gx <= cx + 1; gx++)
                for (long gy = cy - 1; gy <= cy + 1; gy++)
                    if (grid.TryGetValue((gx, gy), out var bucket))
                        foreach (int j in bucket)
                        {
                            double dx = pts[j].Lon - pts[i].Lon, dy = pts[j].Lat - pts[i].Lat;
                            if (Math.Sqrt(dx * dx + dy * dy) <= limit) members.Add(j);
                        }
            members.Sort();
            var set = members.ToArray();
            if (seen.Add(string.Join(',', set))) sets.Add(set);
        }
        return sets;
    }

    // Cells a little wider than the (slackened) radius, so every neighbour is in the 3×3 cells around a point.
    private static (long, long) Cell((double Lon, double Lat) p, double radius)
    {
        double size = radius * (1 + 1e-9) + 2 * Slack;
        return ((long)Math.Floor(p.Lon / size), (long)Math.Floor(p.Lat / size));
    }
}
