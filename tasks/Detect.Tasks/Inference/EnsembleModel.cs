using System.Buffers;
using Microsoft.Extensions.Logging;

namespace Detect.Tasks.Inference;

/// <summary>
/// An ensemble of pixel models: per pixel the median of the members' P(TPA) (the mean of the two middle
/// values for an even count, as numpy's median). Same input layout as <see cref="PixelModel"/>.
/// </summary>
public sealed class EnsembleModel
{
    private const int ChunkPixels = 65536;
    private readonly PixelModel[] _members;

    public EnsembleModel(IEnumerable<string> memberOnnxPaths, InferenceSettings? settings = null, ILogger? logger = null)
    {
        _members = memberOnnxPaths.Select(p => new PixelModel(p, settings, logger)).ToArray();
        if (_members.Length == 0) throw new ArgumentException("An ensemble needs at least one member model.", nameof(memberOnnxPaths));
    }

    public int MemberCount => _members.Length;

    public void Predict(ReadOnlySpan<float> pairs, Span<float> scores)
    {
        if (pairs.Length % PixelModel.FeaturesPerPixel != 0)
            throw new ArgumentException($"pairs holds {pairs.Length} floats, not a multiple of {PixelModel.FeaturesPerPixel}.", nameof(pairs));
        var count = pairs.Length / PixelModel.FeaturesPerPixel;
        if (scores.Length < count)
            throw new ArgumentException($"scores holds {scores.Length} values; {count} pixels need {count}.", nameof(scores));
        var chunk = Math.Min(ChunkPixels, count);
        var memberScores = ArrayPool<float>.Shared.Rent(chunk * _members.Length);
        try
        {
            Span<float> values = stackalloc float[_members.Length];
            for (var start = 0; start < count; start += chunk)
            {
                var n = Math.Min(chunk, count - start);
                var input = pairs.Slice(start * PixelModel.FeaturesPerPixel, n * PixelModel.FeaturesPerPixel);
                for (var m = 0; m < _members.Length; m++) _members[m].Predict(input, memberScores.AsSpan(m * chunk, n));
                for (var i = 0; i < n; i++)
                {
                    for (var m = 0; m < values.Length; m++) values[m] = memberScores[m * chunk + i];
                    scores[start + i] = Median(values);
                }
            }
        }
        finally { ArrayPool<float>.Shared.Return(memberScores); }
    }

    internal static float Median(Span<float> values)
    {
        values.Sort();
        var mid = values.Length / 2;
        return values.Length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2f;
    }
}
