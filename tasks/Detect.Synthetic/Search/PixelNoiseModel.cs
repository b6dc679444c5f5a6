namespace Detect.Synthetic.Search;

/// <summary>
/// The variations a pixel's spectrum goes through before the pixel model sees it, as fixed (seeded) copies:
/// per copy and date an independent multiplicative Gaussian noise per band, reduced by a minimum over k
/// acquisitions (k cycles through 1, 3, 9 — what a `min` mosaic of a 3-month window does to noise), and a
/// mixing with a neighbouring spectrum (cycling through the given neighbours) at 0, ½ or all of each band's
/// largest mixing weight.
/// </summary>
public sealed class PixelNoiseModel
{
    private static readonly int[] Acquisitions = [1, 3, 9];
    private static readonly float[] MixShares = [0f, 0.5f, 1f];
    private readonly float[] _factors; // [copy, date, band]

    public PixelNoiseModel(int copies = 54, double noise = 0.02, int seed = 1)
    {
        if (copies < 1) throw new ArgumentOutOfRangeException(nameof(copies), copies, "At least one noisy copy is needed.");
        Copies = copies;
        var random = new Random(seed);
        _factors = new float[copies * 2 * Bands];
        for (var c = 0; c < copies; c++)
        for (var i = 0; i < 2 * Bands; i++)
        {
            var factor = double.MaxValue;
            for (var k = 0; k < Acquisitions[c % Acquisitions.Length]; k++) factor = Math.Min(factor, 1 + noise * Gaussian(random));
            _factors[c * 2 * Bands + i] = (float)factor;
        }
    }

    public const int Bands = 12;

    public int Copies { get; }

    private static float MixShare(int copy) => MixShares[copy / Acquisitions.Length % MixShares.Length];

    /// <summary>
    /// Writes the <see cref="Copies"/> pixel pairs of <paramref name="dns"/> (24 floats each, index band * 2 + date)
    /// into <paramref name="pairs"/>; band b is mixed with a neighbour at up to <paramref name="maxMix"/>[b].
    /// </summary>
    public void Fill(ReadOnlySpan<float> dns, IReadOnlyList<float[]> neighbours, ReadOnlySpan<float> maxMix, Span<float> pairs)
    {
        for (var c = 0; c < Copies; c++)
        {
            var share = neighbours.Count == 0 ? 0f : MixShare(c);
            var neighbour = neighbours.Count == 0 ? null : neighbours[c / (Acquisitions.Length * MixShares.Length) % neighbours.Count];
            for (var b = 0; b < Bands; b++)
            {
                var value = dns[b];
                var weight = share * maxMix[b];
                if (neighbour is not null) value = (1 - weight) * value + weight * neighbour[b];
                for (var d = 0; d < 2; d++)
                    pairs[c * 24 + b * 2 + d] = value * _factors[(c * 2 + d) * Bands + b];
            }
        }
    }

    internal static double Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
