namespace Detect.Tasks.Analysis.Contours;

/// <summary>
/// Temporal de-flickering of a prediction stack: each frame keeps a pixel only where the per-pixel median over a
/// window of frames centred on it (frames t − w/2 … t + (w−1)/2, clipped to the stack; NaN ignored) is above the
/// threshold; elsewhere the pixel becomes 0. Defaults: window 8, threshold 0.1.
/// </summary>
public static class RollingMedianMask
{
    public static float[][] Apply(IReadOnlyList<float[]> frames, int width, int height, int window = 8, float threshold = 0.1f)
    {
        if (window < 1) throw new ArgumentOutOfRangeException(nameof(window), window, "Rolling median window must be >= 1 frame.");
        int n = width * height;
        for (int f = 0; f < frames.Count; f++)
            if (frames[f].Length != n) throw new ArgumentException($"Frame {f} has {frames[f].Length} values, expected {width}x{height}.");
        var result = new float[frames.Count][];
        for (int t = 0; t < frames.Count; t++)
        {
            int from = Math.Max(0, t - window / 2), to = Math.Min(frames.Count - 1, t + (window - 1) / 2);
            var output = result[t] = new float[n];
            var current = frames[t];
            Parallel.For(0, height, () => new float[to - from + 1], (row, _, buffer) =>
            {
                for (int i = row * width, end = i + width; i < end; i++)
                {
                    float median = Median(frames, from, to, i, buffer);
                    output[i] = median > threshold ? current[i] : 0f;
                }
                return buffer;
            }, _ => { });
        }
        return result;
    }

    private static float Median(IReadOnlyList<float[]> frames, int from, int to, int pixel, float[] buffer)
    {
        int count = 0;
        for (int f = from; f <= to; f++) { float v = frames[f][pixel]; if (!float.IsNaN(v)) buffer[count++] = v; }
        if (count == 0) return float.NaN;
        var span = buffer.AsSpan(0, count);
        span.Sort();
        return count % 2 == 1 ? span[count / 2] : (span[count / 2 - 1] + span[count / 2]) / 2;
    }
}
