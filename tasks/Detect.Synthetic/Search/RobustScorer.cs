namespace Detect.Synthetic.Search;

/// <summary>The worst score of a spectrum over its noisy copies: the lowest for a site, the highest for a decoy or background.</summary>
public readonly record struct RobustScore(float Pixel, float Ensemble);

/// <summary>
/// Scores many spectra at once against the pixel model and the ensemble over the copies of a
/// <see cref="PixelNoiseModel"/>, reducing each to its worst case.
/// </summary>
public sealed class RobustScorer(SpectrumModels models, PixelNoiseModel noise)
{
    /// <summary>
    /// How much a site's centre pixel may mix with its surround and core, per band: 20 m bands up to 25 %,
    /// 60 m bands up to 50 % (bilinear resampling to 10 m reads beyond the pixel). <see cref="LayoutSearch"/>
    /// keeps only layouts whose centre mixes less (<see cref="SiteLayout.CentreMixing"/>).
    /// </summary>
    public static readonly float[] SiteMixing = Detect.Tasks.Imagery.SentinelBands.All
        .Select(b => b.ResolutionMetres switch { 20 => MaxTwentyMetreMix, 60 => MaxSixtyMetreMix, _ => 0f }).ToArray();

    public const float MaxTwentyMetreMix = 0.25f, MaxSixtyMetreMix = 0.5f;

    /// <summary>Decoys and background: every band mixed up to 50 % with a neighbouring land cover (edges, coarse bands).</summary>
    public static readonly float[] EdgeMixing = Enumerable.Repeat(0.5f, PixelNoiseModel.Bands).ToArray();

    public SpectrumModels Models => models;
    public PixelNoiseModel Noise => noise;

    /// <summary>Lowest pixel and ensemble scores of each spectrum over the copies (a site must stay high).</summary>
    public RobustScore[] Lowest(IReadOnlyList<float[]> spectra, IReadOnlyList<float[]> neighbours, float[] maxMix) =>
        Worst(spectra, neighbours, maxMix, lowest: true);

    /// <summary>Highest pixel and ensemble scores of each spectrum over the copies (a decoy must stay low).</summary>
    public RobustScore[] Highest(IReadOnlyList<float[]> spectra, IReadOnlyList<float[]> neighbours, float[] maxMix) =>
        Worst(spectra, neighbours, maxMix, lowest: false);

    private RobustScore[] Worst(IReadOnlyList<float[]> spectra, IReadOnlyList<float[]> neighbours, float[] maxMix, bool lowest)
    {
        var copies = noise.Copies;
        var pairs = new float[spectra.Count * copies * 24];
        for (var s = 0; s < spectra.Count; s++)
            noise.Fill(spectra[s], neighbours, maxMix, pairs.AsSpan(s * copies * 24, copies * 24));
        var pixel = new float[spectra.Count * copies];
        var ensemble = new float[spectra.Count * copies];
        models.Pixel.Predict(pairs, pixel);
        models.Ensemble.Predict(pairs, ensemble);
        var result = new RobustScore[spectra.Count];
        for (var s = 0; s < spectra.Count; s++)
        {
            var p = pixel.AsSpan(s * copies, copies);
            var e = ensemble.AsSpan(s * copies, copies);
            result[s] = lowest
                ? new RobustScore(System.Numerics.Tensors.TensorPrimitives.Min(p), System.Numerics.Tensors.TensorPrimitives.Min(e))
                : new RobustScore(System.Numerics.Tensors.TensorPrimitives.Max(p), System.Numerics.Tensors.TensorPrimitives.Max(e));
        }
        return result;
    }
}
