namespace Detect.Synthetic.Search;

/// <summary>A spectrum found by <see cref="SpectrumSearch"/>, its objective (≥ 0: the targets hold) and its worst scores.</summary>
public sealed record SpectrumSearchResult(ushort[] Dns, double Objective, RobustScore Worst, int Moves);

/// <summary>
/// Deterministic searches over the 12 band DNs against the real models. Targets are worst cases over a
/// <see cref="PixelNoiseModel"/>'s copies, measured in logits (log p / (1 − p)) so that the search keeps
/// making progress where probabilities saturate.
/// </summary>
public static class SpectrumSearch
{
    public const float MinDn = 100, MaxDn = 6000;

    /// <summary>A site must score above this on the pixel model (heatmap and blob detection).</summary>
    public const double SitePixelTarget = 0.9;
    /// <summary>… and above this on the ensemble median (contours zero predictions below 0.5).</summary>
    public const double SiteEnsembleTarget = 0.5;
    /// <summary>Decoys and background must score below this on the pixel model …</summary>
    public const double NegativePixelTarget = 0.1;
    /// <summary>… and below this on the ensemble (no contour).</summary>
    public const double NegativeEnsembleTarget = 0.5;

    /// <summary>
    /// Site: from <paramref name="start"/>, maximise min(logit(worst pixel) − logit(0.9), logit(worst ensemble) − logit(0.5))
    /// over copies whose 20/60 m bands mix with each of <paramref name="neighbours"/> (the site's surround and core candidates)
    /// as much as <see cref="RobustScorer.SiteMixing"/> allows.
    /// </summary>
    public static SpectrumSearchResult FindSite(RobustScorer scorer, SiteSpectra start, IReadOnlyList<SiteSpectra> neighbours, int maxMoves = 60)
    {
        var mixed = neighbours.Select(ToFloats).ToList();
        RobustScore[] Score(IReadOnlyList<float[]> s) => scorer.Lowest(s, mixed, RobustScorer.SiteMixing);
        return Maximize(ToFloats(start), Score, SiteObjective, MinDn, MaxDn, maxMoves);
    }

    /// <summary>
    /// Decoy or background: keep <paramref name="start"/> (a realistic shape) if its worst case is below the
    /// negative targets with every neighbour mixed in; otherwise move each band by at most
    /// <paramref name="maxRelativeChange"/> to maximise min(logit(0.1) − logit(worst pixel), logit(0.5) − logit(worst ensemble)).
    /// </summary>
    public static SpectrumSearchResult FindNegative(RobustScorer scorer, SiteSpectra start, IReadOnlyList<SiteSpectra> neighbours,
        double maxRelativeChange = 0.15, int maxMoves = 40)
    {
        var others = neighbours.Where(n => n.Name != start.Name).Select(ToFloats).ToList();
        RobustScore[] Score(IReadOnlyList<float[]> s) => scorer.Highest(s, others, RobustScorer.EdgeMixing);
        var origin = ToFloats(start);
        var initial = Score([origin])[0];
        if (NegativeObjective(initial) >= 0) return new SpectrumSearchResult(start.Dns.ToArray(), NegativeObjective(initial), initial, 0);
        var lo = origin.Select(v => (float)Math.Max(MinDn, v * (1 - maxRelativeChange))).ToArray();
        var hi = origin.Select(v => (float)Math.Min(MaxDn, v * (1 + maxRelativeChange))).ToArray();
        return Maximize(origin, Score, NegativeObjective, lo, hi, maxMoves);
    }

    public static double SiteObjective(RobustScore s) => Math.Min(
        SpectrumModels.Logit(s.Pixel) - SpectrumModels.Logit(SitePixelTarget),
        SpectrumModels.Logit(s.Ensemble) - SpectrumModels.Logit(SiteEnsembleTarget));

    public static double NegativeObjective(RobustScore s) => Math.Min(
        SpectrumModels.Logit(NegativePixelTarget) - SpectrumModels.Logit(s.Pixel),
        SpectrumModels.Logit(NegativeEnsembleTarget) - SpectrumModels.Logit(s.Ensemble));

    private static SpectrumSearchResult Maximize(float[] start, Func<IReadOnlyList<float[]>, RobustScore[]> score,
        Func<RobustScore, double> objective, float lo, float hi, int maxMoves) =>
        Maximize(start, score, objective, Enumerable.Repeat(lo, start.Length).ToArray(), Enumerable.Repeat(hi, start.Length).ToArray(), maxMoves);

    /// <summary>
    /// Pattern search in log-DN space: each move scores every ±step change of one band (DNs rounded, clamped
    /// to [lo, hi]) in one batch and takes the best if it improves the objective; otherwise the step halves
    /// (8 % down to 0.5 %). Deterministic: the noise copies are fixed and ties go to the lowest band.
    /// </summary>
    private static SpectrumSearchResult Maximize(float[] start, Func<IReadOnlyList<float[]>, RobustScore[]> score,
        Func<RobustScore, double> objective, float[] lo, float[] hi, int maxMoves)
    {
        var current = start.Select((v, b) => MathF.Round(Math.Clamp(v, lo[b], hi[b]))).ToArray();
        var currentScore = score([current])[0];
        var currentObjective = objective(currentScore);
        var moves = 0;
        for (var step = 0.08; step >= 0.005 && moves < maxMoves;)
        {
            var candidates = new List<float[]>();
            for (var b = 0; b < current.Length; b++)
            foreach (var sign in (ReadOnlySpan<int>)[1, -1])
            {
                var next = (float[])current.Clone();
                next[b] = MathF.Round(Math.Clamp((float)(current[b] * Math.Exp(sign * step)), lo[b], hi[b]));
                if (next[b] != current[b]) candidates.Add(next);
            }
            var scores = candidates.Count == 0 ? [] : score(candidates);
            var best = -1;
            var bestObjective = currentObjective;
            for (var i = 0; i < scores.Length; i++)
            {
                var o = objective(scores[i]);
                if (o > bestObjective + 1e-6) { best = i; bestObjective = o; }
            }
            if (best < 0) { step /= 2; continue; }
            current = candidates[best];
            currentScore = scores[best];
            currentObjective = bestObjective;
            moves++;
        }
        return new SpectrumSearchResult(current.Select(v => (ushort)v).ToArray(), currentObjective, currentScore, moves);
    }

    internal static float[] ToFloats(SiteSpectra s) => s.Dns.Select(v => (float)v).ToArray();
}
