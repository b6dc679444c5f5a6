using System.Numerics.Tensors;

namespace Detect.Tasks.Analysis.Contours;

/// <summary>
/// Integer-factor bicubic upsampling matching OpenCV <c>cv2.resize(..., interpolation=INTER_CUBIC)</c>, which the original
/// pipeline used: the Keys cubic kernel with a = −0.75 (OpenCV's value, not the a = −0.5 of Catmull-Rom/PIL), pixel-centre
/// alignment (source x = (dst x + 0.5) / factor − 0.5) and edge pixels replicated beyond the border.
/// The result can overshoot [0, 1]; callers clip.
/// </summary>
public static class BicubicUpsampler
{
    private const float A = -0.75f;

    public static float[] Upsample(ReadOnlySpan<float> src, int width, int height, int factor)
    {
        if (factor < 1) throw new ArgumentOutOfRangeException(nameof(factor), factor, "Upsample factor must be >= 1.");
        if (src.Length != width * height) throw new ArgumentException($"Raster has {src.Length} values, expected {width}x{height}.");
        int dw = width * factor, dh = height * factor;
        var (offsets, weights) = Phases(factor);

        // horizontal pass: every source row → a row of dw samples
        var horizontal = new float[height * dw];
        for (int r = 0; r < height; r++)
        {
            var row = src.Slice(r * width, width);
            var dst = horizontal.AsSpan(r * dw, dw);
            for (int x = 0; x < dw; x++)
            {
                int phase = x % factor, sx = x / factor + offsets[phase];
                float v = 0;
                for (int k = 0; k < 4; k++) v += weights[phase, k] * row[Math.Clamp(sx + k - 1, 0, width - 1)];
                dst[x] = v;
            }
        }
        // vertical pass: each output row is a weighted sum of 4 horizontal rows (vectorised)
        var output = new float[dh * dw];
        for (int y = 0; y < dh; y++)
        {
            int phase = y % factor, sy = y / factor + offsets[phase];
            var dst = output.AsSpan(y * dw, dw);
            for (int k = 0; k < 4; k++)
            {
                var srcRow = horizontal.AsSpan(Math.Clamp(sy + k - 1, 0, height - 1) * dw, dw);
                if (k == 0) TensorPrimitives.Multiply(srcRow, weights[phase, 0], dst);
                else TensorPrimitives.MultiplyAdd(srcRow, weights[phase, k], dst, dst);
            }
        }
        return output;
    }

    /// <summary>For each of the <paramref name="factor"/> output phases: the source offset of the second tap, and the 4 weights.</summary>
    private static (int[] Offsets, float[,] Weights) Phases(int factor)
    {
        var offsets = new int[factor];
        var weights = new float[factor, 4];
        for (int p = 0; p < factor; p++)
        {
            double fx = (p + 0.5) / factor - 0.5;
            int sx = (int)Math.Floor(fx);
            float t = (float)(fx - sx);
            offsets[p] = sx;
            weights[p, 0] = ((A * (t + 1) - 5 * A) * (t + 1) + 8 * A) * (t + 1) - 4 * A;
            weights[p, 1] = ((A + 2) * t - (A + 3)) * t * t + 1;
            weights[p, 2] = ((A + 2) * (1 - t) - (A + 3)) * (1 - t) * (1 - t) + 1;
            weights[p, 3] = 1f - weights[p, 0] - weights[p, 1] - weights[p, 2];
        }
        return (offsets, weights);
    }
}
