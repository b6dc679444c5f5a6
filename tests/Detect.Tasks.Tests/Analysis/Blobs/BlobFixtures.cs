using Detect.Tasks.Analysis.Blobs;

namespace Detect.Tasks.Tests.Analysis.Blobs;

/// <summary>
/// Deterministic heatmaps whose scikit-image <c>blob_doh</c> output is committed in <c>blob_doh_reference.csv</c>
/// (made once with <c>bench/blob_doh_reference.py --fixtures</c>, see bench/README-analysis.md). Built from exactly
/// rounded IEEE operations only (+ − × ÷, an integer hash for noise; no exp or pow), so every machine and runtime
/// makes the same float32 pixels the reference was computed from.
/// </summary>
public static class BlobFixtures
{
    public sealed record Fixture(string Name, int Width, int Height, float[] Heatmap, BlobOptions Options);

    public static IReadOnlyList<Fixture> All() => [Sites(), Plateaus(), Edges(), Ties(), LowThreshold()];

    /// <summary>Sites of many sizes over sparse noise just above the prediction threshold, like a mosaic of
    /// inference tiles (the benchmark's heatmap, smaller): many σ = 3.5 peaks near larger blobs, so pruning chains.</summary>
    public static Fixture Sites()
    {
        const int w = 1100, h = 900;
        var img = new float[w * h];
        for (int k = 0; k < 40; k++)
            AddBump(img, w, h, 40 + Hash(1, k) % (h - 80), 40 + Hash(2, k) % (w - 80), 6 + Unit(3, k) * 70, 1, 1);
        for (int i = 0; i < img.Length; i += 7) img[i] = Math.Max(img[i], (float)(0.8 * Unit(4, i)));
        for (int i = 3; i < img.Length; i += 97) img[i] = Math.Max(img[i], (float)(0.75 + 0.25 * Unit(5, i)));
        return new("sites", w, h, img, new BlobOptions());
    }

    /// <summary>Flat tops (clipped bumps, squares of 1.0) centred on pixels and between them: ties everywhere.</summary>
    public static Fixture Plateaus()
    {
        const int w = 400, h = 300;
        var img = new float[w * h];
        AddBump(img, w, h, 60, 60, 30, 1.6, 1);
        AddBump(img, w, h, 60.5, 140.5, 22, 2.5, 1);
        AddBump(img, w, h, 150, 80.5, 45, 1.3, 1);
        AddBump(img, w, h, 200.5, 300, 60, 1.1, 1);
        AddBump(img, w, h, 230, 200, 16, 4, 1);
        AddSquare(img, w, 30, 250, 9, 1f);
        AddSquare(img, w, 100, 330, 10, 1f);
        AddSquare(img, w, 120, 200, 31, 0.9f);
        AddSquare(img, w, 255, 40, 20, 1f);
        AddSquare(img, w, 257, 61, 20, 1f); // two squares side by side, a 1-pixel gap of 0 between them
        return new("plateaus", w, h, img, new BlobOptions());
    }

    /// <summary>Blobs cut by every edge and corner, and some just inside: the box filters are clipped there.</summary>
    public static Fixture Edges()
    {
        const int w = 260, h = 200;
        var img = new float[w * h];
        (double Row, double Col, double R)[] bumps =
        [
            (0, 0, 40), (0, 130, 25), (-6, 210, 35), (100, 0, 30), (100, 3, 12), (199, 259, 45), (199, 60, 28),
            (150, 262, 38), (60, 255, 15), (5, 5, 10), (194, 130, 20), (100, 130, 50),
        ];
        foreach (var (row, col, r) in bumps) AddBump(img, w, h, row, col, r, 1.2, 1);
        for (int i = 0; i < img.Length; i += 11) img[i] = Math.Max(img[i], (float)(0.9 * Unit(6, i)));
        return new("edges", w, h, img, new BlobOptions());
    }

    /// <summary>Symmetric blobs on pixel centres, quantised to eighths: mirror-image pixels have equal determinants,
    /// so numpy's (unstable) argsort decides which of a tied pair pruning keeps.</summary>
    public static Fixture Ties()
    {
        const int w = 300, h = 300;
        var img = new float[w * h];
        for (int k = 0; k < 14; k++)
            AddBump(img, w, h, 30 + Hash(7, k) % 240, 30 + Hash(8, k) % 240, 8 + Hash(9, k) % 40, 1.4, 1);
        for (int i = 0; i < img.Length; i++) img[i] = (float)(Math.Round(img[i] * 8.0) / 8.0);
        return new("ties", w, h, img, new BlobOptions());
    }

    /// <summary>Other parameters: a low prediction threshold (the integral image's summation order then matters),
    /// 7 scales from 2 to 30, a lower peak threshold and overlap 0.3, on smooth blobs over noise.</summary>
    public static Fixture LowThreshold()
    {
        const int w = 320, h = 280;
        var img = new float[w * h];
        for (int k = 0; k < 18; k++)
            AddBump(img, w, h, Hash(10, k) % h, Hash(11, k) % w, 4 + Unit(12, k) * 30, 0.3 + 0.7 * Unit(13, k), 1);
        for (int i = 0; i < img.Length; i += 3) img[i] = Math.Max(img[i], (float)(0.3 * Unit(14, i)));
        return new("low-threshold", w, h, img, new BlobOptions
        {
            PredThreshold = 0.05f, MinSigma = 2, MaxSigma = 30, NumSigma = 7, Threshold = 0.002, Overlap = 0.3,
        });
    }

    /// <summary>img = max(img, min(cap, amplitude·(1 − d²/R²)³)) inside radius R around (row, col).</summary>
    private static void AddBump(float[] img, int w, int h, double row, double col, double radius, double amplitude, double cap)
    {
        for (int r = Math.Max(0, (int)(row - radius)); r <= Math.Min(h - 1, (int)(row + radius) + 1); r++)
            for (int c = Math.Max(0, (int)(col - radius)); c <= Math.Min(w - 1, (int)(col + radius) + 1); c++)
            {
                double q = ((r - row) * (r - row) + (c - col) * (c - col)) / (radius * radius);
                if (q >= 1) continue;
                double t = 1 - q;
                float v = (float)Math.Min(cap, amplitude * t * t * t);
                img[r * w + c] = Math.Max(img[r * w + c], v);
            }
    }

    private static void AddSquare(float[] img, int w, int row, int col, int size, float value)
    {
        for (int r = row; r < row + size; r++)
            for (int c = col; c < col + size; c++) img[r * w + c] = Math.Max(img[r * w + c], value);
    }

    /// <summary>SplitMix64 of (stream, i): a platform-independent integer hash for noise and positions.</summary>
    private static int Hash(int stream, int i) => (int)(Mix(stream, i) >> 33);

    /// <summary>A hash in [0, 1) with 53 random bits (exact in double).</summary>
    private static double Unit(int stream, int i) => (Mix(stream, i) >> 11) * (1.0 / (1UL << 53));

    private static ulong Mix(int stream, int i)
    {
        ulong z = ((ulong)(uint)stream << 32 | (uint)i) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
