using Detect.Tasks.Inference;

namespace Detect.Synthetic.Search;

/// <summary>A layout and its worst patch-classifier score over backgrounds, window offsets and noise.</summary>
public sealed record LayoutScore(SiteLayout Layout, float Worst);

/// <summary>
/// Finds a <see cref="SiteLayout"/> the patch classifier scores high whatever lies around the site and
/// wherever its 45 px windows fall (stride 8: the best window's centre is up to 4 px from the site's).
/// Exhaustive over a small grid of radii and of realistic surround/core spectra; deterministic (fixed seed).
/// </summary>
public sealed class LayoutSearch(PatchModel patch, SiteSpectra site, double noise = 0.02, int seed = 1)
{
    /// <summary>The site must score above this on the patch classifier (ComparePatchClassifier keeps > 0.3).</summary>
    public const double PatchTarget = 0.9;

    /// <summary>Window offsets (east, south) in pixels: the corners and centre of the [−4, 3]² a stride of 8 leaves.</summary>
    public static readonly (double East, double South)[] Offsets = [(0, 0), (-4, -4), (3, 3), (-4, 3), (3, -4)];

    public static IReadOnlyList<WindowBackground> LandBackgrounds { get; } =
    [
        new("vegetation", SiteSpectra.Vegetation),
        new("soil", SiteSpectra.Soil),
        new("vegetation|soil", SiteSpectra.Vegetation, SiteSpectra.Soil, SplitVertically: true),
    ];

    /// <summary>The worst score of <paramref name="layout"/> over <paramref name="backgrounds"/> × <see cref="Offsets"/>.</summary>
    public float Worst(SiteLayout layout, IReadOnlyList<WindowBackground> backgrounds) => Worst([layout], backgrounds)[0];

    public float[] Worst(IReadOnlyList<SiteLayout> layouts, IReadOnlyList<WindowBackground> backgrounds) =>
        Scores(layouts, backgrounds).Select(s => s.Min()).ToArray();

    /// <summary>The highest score of <paramref name="layout"/> over <paramref name="backgrounds"/> × <see cref="Offsets"/> (for decoys).</summary>
    public float Highest(SiteLayout layout, IReadOnlyList<WindowBackground> backgrounds) => Scores([layout], backgrounds)[0].Max();

    /// <summary>Per layout, its scores over <paramref name="backgrounds"/> × <see cref="Offsets"/>.</summary>
    public float[][] Scores(IReadOnlyList<SiteLayout> layouts, IReadOnlyList<WindowBackground> backgrounds)
    {
        var perLayout = backgrounds.Count * Offsets.Length;
        var windows = new float[layouts.Count * perLayout * PatchModel.FeaturesPerPatch];
        var random = new Random(seed);
        var n = 0;
        foreach (var layout in layouts)
        foreach (var background in backgrounds)
            for (var o = 0; o < Offsets.Length; o++, n++)
                PatchWindow.Render(windows.AsSpan(n * PatchModel.FeaturesPerPatch, PatchModel.FeaturesPerPatch), layout, site, background,
                    Offsets[o].East, Offsets[o].South, noise, acquisitions: o % 2 == 0 ? 1 : 3, random);
        var scores = new float[n];
        patch.Predict(windows, scores);
        return Enumerable.Range(0, layouts.Count).Select(i => scores.AsSpan(i * perLayout, perLayout).ToArray()).ToArray();
    }

    /// <summary>
    /// The candidate grid: disc radius × surround spectrum × surround width × core (none, or a 15 or 25 m disc of a
    /// spectrum east of the centre), keeping only layouts whose centre pixel mixes no more than the site
    /// spectrum was made robust to (<see cref="RobustScorer.SiteMixing"/>).
    /// </summary>
    public static IEnumerable<SiteLayout> Candidates(IReadOnlyList<SiteSpectra> surrounds, IReadOnlyList<SiteSpectra> cores)
    {
        foreach (var disc in (double[])[60, 70, 80])
        foreach (var surround in surrounds)
        foreach (var width in (double[])[60, 100, 140, 180])
        foreach (var core in cores.Prepend(null))
        foreach (var coreRadius in core is null ? [15.0] : (double[])[15, 25])
        foreach (var coreOffset in core is null ? [0.0] : (double[])[20, 30, 40])
        {
            var layout = new SiteLayout(disc, disc + width, surround, coreRadius, coreOffset, core, WaterFreeRadiusMetres: 0);
            if (coreOffset + coreRadius > disc) continue;
            var (twenty, sixty) = layout.CentreMixing();
            if (twenty <= RobustScorer.MaxTwentyMetreMix && sixty <= RobustScorer.MaxSixtyMetreMix) yield return layout;
        }
    }

    /// <summary>
    /// The best candidate on land backgrounds (ties within 0.005 go to the smaller footprint), then the
    /// smallest water-free radius (200 … 450 m) that keeps its worst score with water beyond it.
    /// </summary>
    public LayoutScore Find(IReadOnlyList<SiteSpectra> surrounds, IReadOnlyList<SiteSpectra> cores)
    {
        var candidates = Candidates(surrounds, cores).ToList();
        var worst = Worst(candidates, LandBackgrounds);
        var top = worst.Max();
        var best = Enumerable.Range(0, candidates.Count).Where(i => worst[i] >= top - 0.005)
            .OrderBy(i => candidates[i].SurroundRadiusMetres).ThenBy(i => candidates[i].DiscRadiusMetres).ThenBy(i => i).First();
        var layout = candidates[best];
        foreach (var radius in (double[])[200, 250, 300, 350, 400, 450])
        {
            var withWater = layout with { WaterFreeRadiusMetres = radius };
            var score = Worst(withWater, WaterBeyond(radius));
            if (score >= PatchTarget || radius == 450) return new LayoutScore(withWater, Math.Min(score, worst[best]));
        }
        throw new InvalidOperationException("unreachable");
    }

    public static IReadOnlyList<WindowBackground> WaterBeyond(double radius) =>
    [
        new($"vegetation, water beyond {radius} m", SiteSpectra.Vegetation, SiteSpectra.Water, radius),
        new($"soil, water beyond {radius} m", SiteSpectra.Soil, SiteSpectra.Water, radius),
    ];
}
