namespace Detect.Tasks.Analysis.Contours;

/// <summary>
/// Iso-contours of a raster at a level, as closed rings. Samples sit at pixel centres; the raster is framed by a border
/// below the level so every ring closes. "Inside" is value &gt; level. Saddle cells are resolved by the cell-centre
/// average, so rings never cross or touch. Ring points are in pixel-corner coordinates (x = col + 0.5 at a pixel centre).
/// Rings around inside regions have positive shoelace area in (x, y-down) coordinates; rings around holes negative.
/// </summary>
public static class MarchingSquares
{
    public static List<(double X, double Y)[]> Rings(ReadOnlySpan<float> values, int width, int height, float level)
    {
        int gw = width + 2, gh = height + 2; // padded grid
        float At(ReadOnlySpan<float> v, int gx, int gy) =>
            gx <= 0 || gy <= 0 || gx > width || gy > height ? float.NegativeInfinity : Finite(v[(gy - 1) * width + gx - 1]);

        // start edge id → (end edge id, start point)
        var next = new Dictionary<long, (long End, double X, double Y)>();
        Span<float> c = stackalloc float[4];
        Span<int> cx = stackalloc int[4];
        Span<int> cy = stackalloc int[4];
        // Most cells are wholly inside or outside: a row of inside flags per grid row skips them with two comparisons.
        var above = new bool[gw];
        var below = new bool[gw];
        void Flags(ReadOnlySpan<float> v, int gy, bool[] flags)
        {
            for (int gx = 0; gx < gw; gx++) flags[gx] = At(v, gx, gy) > level;
        }
        Flags(values, 0, below);
        for (int gy = 0; gy < gh - 1; gy++)
        {
            (above, below) = (below, above);
            Flags(values, gy + 1, below);
            for (int gx = 0; gx < gw - 1; gx++)
            {
                bool tl = above[gx];
                if (tl == above[gx + 1] && tl == below[gx] && tl == below[gx + 1]) continue;
                // corners clockwise on screen: TL, TR, BR, BL; edge e goes from corner e to corner e+1
                cx[0] = gx; cy[0] = gy; cx[1] = gx + 1; cy[1] = gy; cx[2] = gx + 1; cy[2] = gy + 1; cx[3] = gx; cy[3] = gy + 1;
                int inside = 0;
                for (int i = 0; i < 4; i++) { c[i] = At(values, cx[i], cy[i]); if (c[i] > level) inside |= 1 << i; }
                if (inside is 0 or 15) continue;

                int leaves = 0, enters = 0; // bit e set: edge e is crossed going from inside to outside (leave) / outside to inside (enter)
                for (int e = 0; e < 4; e++)
                {
                    bool a = (inside >> e & 1) != 0, b = (inside >> ((e + 1) & 3) & 1) != 0;
                    if (a && !b) leaves |= 1 << e; else if (!a && b) enters |= 1 << e;
                }
                bool saddle = inside is 5 or 10;
                bool centreInside = saddle && (c[0] + c[1] + c[2] + c[3]) / 4 > level;
                for (int e = 0; e < 4; e++)
                {
                    if ((leaves >> e & 1) == 0) continue;
                    // pair the leave on edge e with an enter: the next edge cuts off the outside corner e+1 (normal or
                    // saddle with the centre inside), the previous edge cuts off the inside corner e (saddle, centre outside)
                    int partner = saddle && !centreInside ? (e + 3) & 3 : (e + 1) & 3;
                    if (!saddle) partner = System.Numerics.BitOperations.TrailingZeroCount(enters);
                    var (x, y) = Crossing(cx, cy, c, e, level);
                    next[EdgeId(cx, cy, e, gw)] = (EdgeId(cx, cy, partner, gw), x, y);
                }
            }
        }

        var rings = new List<(double, double)[]>();
        var points = new List<(double, double)>();
        var starts = new List<long>(next.Keys); // in discovery (raster) order, so the ring order is deterministic
        foreach (long start in starts)
        {
            if (!next.ContainsKey(start)) continue; // already part of a ring
            long edge = start;
            points.Clear();
            do
            {
                if (!next.Remove(edge, out var seg)) throw new InvalidOperationException("marching squares: open contour (bug)");
                points.Add((seg.X - 0.5, seg.Y - 0.5)); // padded grid point (gx, gy) is the centre of pixel (gx-1, gy-1)
                edge = seg.End;
            } while (edge != start);
            points.Add(points[0]);
            rings.Add(points.ToArray());
        }
        return rings;
    }

    private static float Finite(float v) => float.IsNaN(v) ? float.NegativeInfinity : v;

    private static (double, double) Crossing(Span<int> cx, Span<int> cy, Span<float> c, int e, float level)
    {
        int a = e, b = (e + 1) & 3;
        double t = float.IsNegativeInfinity(c[a]) ? 1 : float.IsNegativeInfinity(c[b]) ? 0 : (level - c[a]) / (double)(c[b] - c[a]);
        // an edge to the frame: put the crossing half-way to the frame, i.e. on the raster's outer pixel boundary
        if (float.IsNegativeInfinity(c[a]) || float.IsNegativeInfinity(c[b])) t = 0.5;
        return (cx[a] + t * (cx[b] - cx[a]), cy[a] + t * (cy[b] - cy[a]));
    }

    /// <summary>Direction-independent id of a cell edge: horizontal edges even, vertical odd.</summary>
    private static long EdgeId(Span<int> cx, Span<int> cy, int e, int gw)
    {
        int a = e, b = (e + 1) & 3;
        int x = Math.Min(cx[a], cx[b]), y = Math.Min(cy[a], cy[b]);
        bool horizontal = cy[a] == cy[b];
        return ((long)y * gw + x) * 2 + (horizontal ? 0 : 1);
    }
}
