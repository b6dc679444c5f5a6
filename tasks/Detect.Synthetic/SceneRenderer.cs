using Detect.Tasks.Imagery;

namespace Detect.Synthetic;

/// <summary>
/// Renders one acquisition on the 10 m canvas (per-pixel spectrum + multiplicative noise, clouds) and
/// reduces it to each band's native resolution.
/// </summary>
internal sealed class SceneRenderer(int width, int height, byte[] spectrumIndex, SiteSpectra[] spectra, double noise)
{
    private const int GaussianTableSize = 1 << 16;

    /// <summary>Cloud discs covering about <paramref name="cloudFraction"/> of the canvas (1 = cloud).</summary>
    internal byte[] Clouds(Random random, double cloudFraction)
    {
        var mask = new byte[width * height];
        var target = (int)(cloudFraction * mask.Length);
        var covered = 0;
        for (var attempt = 0; covered < target && attempt < 500; attempt++)
        {
            var cx = random.Next(width);
            var cy = random.Next(height);
            var radius = 8 + random.Next(Math.Max(9, Math.Min(width, height) / 4));
            for (var r = Math.Max(0, cy - radius); r < Math.Min(height, cy + radius + 1); r++)
            for (var c = Math.Max(0, cx - radius); c < Math.Min(width, cx + radius + 1); c++)
            {
                var dx = c - cx;
                var dy = r - cy;
                if (dx * dx + dy * dy > radius * radius || mask[r * width + c] != 0) continue;
                mask[r * width + c] = 1;
                covered++;
            }
        }
        return mask;
    }

    /// <summary>The 12 bands at 10 m (band-major floats) for this acquisition.</summary>
    internal float[] Bands(Random random, byte[] clouds)
    {
        var n = width * height;
        var gaussians = new float[GaussianTableSize];
        for (var i = 0; i < gaussians.Length; i += 2)
        {
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            var radius = Math.Sqrt(-2 * Math.Log(u1));
            gaussians[i] = (float)(radius * Math.Cos(2 * Math.PI * u2) * noise);
            gaussians[i + 1] = (float)(radius * Math.Sin(2 * Math.PI * u2) * noise);
        }
        var state = (uint)random.Next() | 1u;
        var bands = new float[SentinelBands.Count * n];
        var cloud = SiteSpectra.Cloud.Dns;
        for (var i = 0; i < n; i++)
        {
            var dns = clouds[i] != 0 ? cloud : spectra[spectrumIndex[i]].Dns;
            for (var b = 0; b < SentinelBands.Count; b++)
            {
                state ^= state << 13; state ^= state >> 17; state ^= state << 5; // xorshift32
                bands[b * n + i] = dns[b] * (1 + gaussians[state & (GaussianTableSize - 1)]);
            }
        }
        return bands;
    }

    /// <summary>Block-averages a 10 m band to <paramref name="factor"/>× coarser pixels; DNs clamp to 1 … 65535 (0 is nodata).</summary>
    internal ushort[] Native(ReadOnlySpan<float> band10, int factor)
    {
        var w = width / factor;
        var h = height / factor;
        var result = new ushort[w * h];
        var scale = 1f / (factor * factor);
        for (var r = 0; r < h; r++)
        for (var c = 0; c < w; c++)
        {
            var sum = 0f;
            for (var dy = 0; dy < factor; dy++)
            for (var dx = 0; dx < factor; dx++)
                sum += band10[(r * factor + dy) * width + c * factor + dx];
            result[r * w + c] = (ushort)Math.Clamp(MathF.Round(sum * scale), 1, 65535);
        }
        return result;
    }

    /// <summary>The cloud mask at <paramref name="factor"/>× coarser pixels: cloud where any 10 m pixel is.</summary>
    internal byte[] NativeMask(byte[] clouds, int factor)
    {
        var w = width / factor;
        var h = height / factor;
        var result = new byte[w * h];
        for (var r = 0; r < height; r++)
        for (var c = 0; c < width; c++)
            if (clouds[r * width + c] != 0) result[(r / factor) * w + c / factor] = SentinelBands.Cloud;
        return result;
    }
}
