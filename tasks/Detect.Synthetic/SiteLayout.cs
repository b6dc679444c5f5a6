namespace Detect.Synthetic;

/// <summary>Which part of a planted site a point falls in.</summary>
public enum SitePart : byte { Outside, Surround, Disc, Core }

/// <summary>
/// A planted site as the models must see it: a disc of the site spectrum inside a ring of
/// <see cref="Surround"/> (the patch classifier scores a bare disc over vegetation ~0), with a small core of
/// <see cref="Core"/> set off-centre inside the disc, so that the site's centre keeps the site spectrum for
/// the pixel model. No water within <see cref="WaterFreeRadiusMetres"/>: water anywhere in the patch
/// classifier's 45 px window drives its score to 0, and sites are on land. Found by <see cref="Search.LayoutSearch"/>.
/// </summary>
public sealed record SiteLayout(
    double DiscRadiusMetres,
    double SurroundRadiusMetres,
    SiteSpectra Surround,
    double CoreRadiusMetres,
    double CoreOffsetMetres,
    SiteSpectra? Core,
    double WaterFreeRadiusMetres)
{
    /// <summary>The part at (<paramref name="east"/>, <paramref name="north"/>) metres from the site centre; the core lies east of it.</summary>
    public SitePart PartAt(double east, double north)
    {
        var d2 = east * east + north * north;
        if (Core is not null)
        {
            var ce = east - CoreOffsetMetres;
            if (ce * ce + north * north <= CoreRadiusMetres * CoreRadiusMetres) return SitePart.Core;
        }
        if (d2 <= DiscRadiusMetres * DiscRadiusMetres) return SitePart.Disc;
        return d2 <= SurroundRadiusMetres * SurroundRadiusMetres ? SitePart.Surround : SitePart.Outside;
    }

    /// <summary>
    /// The largest share of the site's centre pixel that comes from outside the disc (core, surround) in the
    /// 20 m and 60 m bands, as the generator renders them (10 m canvas block-averaged to the band's pixels)
    /// and mosaics read them (bilinear back to 10 m), over 10 × 10 positions of the centre within a 60 m cell.
    /// </summary>
    public (double TwentyMetre, double SixtyMetre) CentreMixing()
    {
        const int size = 48; // 480 m: a multiple of 2 and 6 pixels, wider than the 60 m bands' reach
        var outside = new float[size * size];
        double twenty = 0, sixty = 0;
        for (var i = 0; i < 100; i++)
        {
            var cx = size * 5 + (i % 10) * 6.0; // metres from the canvas' west edge
            var cy = size * 5 + (i / 10) * 6.0; // metres from its north edge
            for (var r = 0; r < size; r++)
            for (var c = 0; c < size; c++)
                outside[r * size + c] = PartAt((c + 0.5) * 10 - cx, cy - (r + 0.5) * 10) == SitePart.Disc ? 0 : 1;
            var (col, row) = ((int)(cx / 10), (int)(cy / 10));
            twenty = Math.Max(twenty, Resampled(outside, size, 2, col, row));
            sixty = Math.Max(sixty, Resampled(outside, size, 6, col, row));
        }
        return (twenty, sixty);
    }

    /// <summary>Block average by <paramref name="factor"/>, then bilinear at the centre of 10 m pixel (col, row).</summary>
    private static double Resampled(float[] canvas, int size, int factor, int col, int row)
    {
        var n = size / factor;
        double Block(int bc, int br)
        {
            bc = Math.Clamp(bc, 0, n - 1);
            br = Math.Clamp(br, 0, n - 1);
            var sum = 0.0;
            for (var dy = 0; dy < factor; dy++)
            for (var dx = 0; dx < factor; dx++) sum += canvas[(br * factor + dy) * size + bc * factor + dx];
            return sum / (factor * factor);
        }
        var x = (col + 0.5) / factor - 0.5;
        var y = (row + 0.5) / factor - 0.5;
        var (x0, y0) = ((int)Math.Floor(x), (int)Math.Floor(y));
        var (tx, ty) = (x - x0, y - y0);
        return Block(x0, y0) * (1 - tx) * (1 - ty) + Block(x0 + 1, y0) * tx * (1 - ty)
             + Block(x0, y0 + 1) * (1 - tx) * ty + Block(x0 + 1, y0 + 1) * tx * ty;
    }

    /// <summary>The outermost extent of the site (its surround).</summary>
    public double OuterRadiusMetres => Math.Max(SurroundRadiusMetres, DiscRadiusMetres);

    /// <summary>
    /// The layout <see cref="Search.SyntheticSpectraSearch"/> found (seed 1) for <see cref="SiteSpectra.Site"/>. Worst
    /// patch score over vegetation/soil/split backgrounds, five window offsets and noise: 0.937.
    /// </summary>
    public static SiteLayout Default { get; } = new(80, 260, SiteSpectra.Soil, 15, 30, SiteSpectra.Urban, 300);

    public string Describe() =>
        FormattableString.Invariant($"disc {DiscRadiusMetres} m, {Surround.Name} surround to {SurroundRadiusMetres} m, ") +
        (Core is null ? "no core" : FormattableString.Invariant($"{Core.Name} core {CoreRadiusMetres} m at {CoreOffsetMetres} m east")) +
        FormattableString.Invariant($", no water within {WaterFreeRadiusMetres} m");
}
