using System.Numerics.Tensors;
using Detect.Tasks.Analysis.Contours;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Union;
using OpenCvSharp;

namespace Detect.Tasks.Tests.Analysis.Contours;

// Independent implementations the contour step is checked against (also compiled into bench/Detect.Bench.Analysis):
// the hand-written bicubic and Gaussian filters the step used before OpenCV did them, the original pipeline's cv2
// frame step, synthetic prediction frames, and contour IoU.

/// <summary>
/// Integer-factor bicubic upsampling matching OpenCV <c>cv2.resize(..., interpolation=INTER_CUBIC)</c>, which the original
/// pipeline used: the Keys cubic kernel with a = −0.75 (OpenCV's value, not the a = −0.5 of Catmull-Rom/PIL), pixel-centre
/// alignment (source x = (dst x + 0.5) / factor − 0.5) and edge pixels replicated beyond the border.
/// The result can overshoot [0, 1]; callers clip.
/// </summary>
internal static class ReferenceBicubic
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

/// <summary>
/// Separable Gaussian blur as OpenCV <c>GaussianBlur(src, (k, k), sigma)</c>: kernel weights exp(−x²/2σ²) normalised to
/// sum 1, borders reflected without repeating the edge pixel (BORDER_REFLECT_101). Both passes are vector row operations.
/// </summary>
internal static class ReferenceGaussianBlur
{
    public static float[] Kernel(int size, double sigma)
    {
        if (size < 1 || size % 2 == 0) throw new ArgumentOutOfRangeException(nameof(size), size, "Gaussian kernel size must be odd and positive.");
        if (!(sigma > 0)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "Gaussian sigma must be > 0.");
        var k = new double[size];
        int half = size / 2;
        for (int i = 0; i < size; i++) k[i] = Math.Exp(-(i - half) * (i - half) / (2 * sigma * sigma));
        double sum = k.Sum();
        return k.Select(v => (float)(v / sum)).ToArray();
    }

    public static float[] Apply(ReadOnlySpan<float> src, int width, int height, int size, double sigma)
    {
        if (src.Length != width * height) throw new ArgumentException($"Raster has {src.Length} values, expected {width}x{height}.");
        var kernel = Kernel(size, sigma);
        int half = size / 2;
        var horizontal = new float[width * height];
        var padded = new float[width + 2 * half];
        for (int r = 0; r < height; r++)
        {
            var row = src.Slice(r * width, width);
            for (int i = 0; i < padded.Length; i++) padded[i] = row[Reflect101(i - half, width)];
            var dst = horizontal.AsSpan(r * width, width);
            TensorPrimitives.Multiply(padded.AsSpan(0, width), kernel[0], dst);
            for (int k = 1; k < size; k++) TensorPrimitives.MultiplyAdd(padded.AsSpan(k, width), kernel[k], dst, dst);
        }
        var output = new float[width * height];
        for (int r = 0; r < height; r++)
        {
            var dst = output.AsSpan(r * width, width);
            for (int k = 0; k < size; k++)
            {
                var srcRow = horizontal.AsSpan(Reflect101(r + k - half, height) * width, width);
                if (k == 0) TensorPrimitives.Multiply(srcRow, kernel[0], dst);
                else TensorPrimitives.MultiplyAdd(srcRow, kernel[k], dst, dst);
            }
        }
        return output;
    }

    /// <summary>OpenCV BORDER_REFLECT_101: …, 2, 1 | 0, 1, 2, …, n−1 | n−2, n−3, …</summary>
    internal static int Reflect101(int i, int n)
    {
        if (n == 1) return 0;
        while (i < 0 || i >= n) i = i < 0 ? -i : 2 * n - 2 - i;
        return i;
    }
}

/// <summary>
/// Contour rings by OpenCV's <c>findContours</c> (border following, RETR_TREE, CHAIN_APPROX_SIMPLE) on the mask
/// value &gt; level, as the original pipeline traced them. Vertices are the centres of the boundary pixels, so a
/// region's polygon runs half a pixel inside its pixels' outline. Rings are in pixel-corner coordinates (a pixel
/// centre is col + 0.5), oriented like <see cref="MarchingSquares"/>' (shells positive, holes negative area).
/// </summary>
internal static class FindContoursRings
{
    public static List<(double X, double Y)[]> Rings(ReadOnlySpan<float> values, int width, int height, float level)
    {
        Detect.Tasks.Native.OpenCvLibrary.EnsureLoaded();
        var mask = new byte[values.Length];
        for (int i = 0; i < values.Length; i++) mask[i] = values[i] > level ? (byte)1 : (byte)0; // NaN is outside
        using var image = Mat.FromPixelData(height, width, MatType.CV_8UC1, mask);
        Cv2.FindContours(image, out OpenCvSharp.Point[][] contours, out HierarchyIndex[] hierarchy, RetrievalModes.Tree, ContourApproximationModes.ApproxSimple);
        var rings = new List<(double, double)[]>(contours.Length);
        for (int i = 0; i < contours.Length; i++)
        {
            if (contours[i].Length < 3) continue; // as the original: one- and two-point contours enclose nothing
            int depth = 0;
            for (int p = hierarchy[i].Parent; p >= 0; p = hierarchy[p].Parent) depth++;
            var ring = contours[i].Append(contours[i][0]).Select(pt => (pt.X + 0.5, pt.Y + 0.5)).ToArray();
            if (RingAssembler.SignedArea(ring) > 0 != (depth % 2 == 0)) Array.Reverse(ring);
            rings.Add(ring);
        }
        return rings;
    }
}

/// <summary>The frame step in pixel coordinates, three ways, each giving the polygons of at least 160 px.</summary>
internal static class ContourPipelines
{
    public const int Factor = 4, Kernel = 33;
    public const double Sigma = 4, MinArea = 160;
    public const float Level = 0.2f;

    /// <summary>Detect before OpenCV: hand-written bicubic ×4, clip + 8-bit truncation, hand-written blur, marching squares.</summary>
    public static List<Polygon> HandWritten(float[] frame, int size)
    {
        var up = ReferenceBicubic.Upsample(frame, size, size, Factor);
        FrameContours.ClipAndQuantise(up);
        var blurred = ReferenceGaussianBlur.Apply(up, size * Factor, size * Factor, Kernel, Sigma);
        return Polygons(MarchingSquares.Rings(blurred, size * Factor, size * Factor, Level));
    }

    /// <summary>The field the shipped step contours: OpenCV bicubic ×4, clip + 8-bit truncation, OpenCV blur.</summary>
    public static float[] Field(float[] frame, int size)
    {
        var field = OpenCvFilters.UpsampleBicubic(frame, size, size, Factor);
        FrameContours.ClipAndQuantise(field);
        OpenCvFilters.GaussianBlurInPlace(field, size * Factor, size * Factor, Kernel, Sigma);
        return field;
    }

    /// <summary>Detect's step as shipped (FrameContours), in pixel coordinates.</summary>
    public static List<Polygon> Shipped(float[] frame, int size) =>
        FrameContours.PixelPolygons(frame, size, size, new ContourOptions()).Where(p => p.Area >= MinArea).ToList();

    /// <summary>
    /// The original's frame step (scripts/contour_gen.py of earthrise-media/plastics) with the same cv2 calls:
    /// bicubic ×4, to uint8, cv2.GaussianBlur((33, 33), σ = 4) on the uint8 image (rounded back to uint8),
    /// cv2.threshold(THRESH_TOZERO, int(0.2·255)), cv2.findContours. Two deliberate differences, as in Detect: the
    /// bicubic kernel is OpenCV's, and values are clipped to [0, 1] before the cast (no uint8 wrap-around).
    /// </summary>
    public static List<Polygon> OriginalCv2(float[] frame, int size)
    {
        int n = size * Factor;
        var up = OpenCvFilters.UpsampleBicubic(frame, size, size, Factor); // loads OpenCV the careful way
        var bytes = new byte[up.Length];
        for (int i = 0; i < up.Length; i++) bytes[i] = float.IsNaN(up[i]) ? (byte)0 : (byte)(Math.Clamp(up[i], 0f, 1f) * 255f);
        using var image = Mat.FromPixelData(n, n, MatType.CV_8UC1, bytes);
        using var blurred = new Mat();
        Cv2.GaussianBlur(image, blurred, new OpenCvSharp.Size(Kernel, Kernel), Sigma);
        using var thresh = new Mat();
        Cv2.Threshold(blurred, thresh, (int)(Level * 255), 255, ThresholdTypes.Tozero);
        thresh.GetArray(out byte[] data);
        var inside = Array.ConvertAll(data, b => b > 0 ? 1f : 0f);
        return Polygons(FindContoursRings.Rings(inside, n, n, 0.5f));
    }

    public static List<Polygon> Polygons(List<(double X, double Y)[]> rings) =>
        RingAssembler.Polygons(rings).Where(p => p.Area >= MinArea).ToList();

    /// <summary>Area of intersection over area of union of two sets of polygons (1 when both are empty).</summary>
    public static double IoU(IReadOnlyList<Polygon> a, IReadOnlyList<Polygon> b)
    {
        Geometry Union(IReadOnlyList<Polygon> p) => p.Count == 0 ? Polygon.Empty : CascadedPolygonUnion.Union(p.Cast<Geometry>().ToList());
        Geometry ua = Union(a), ub = Union(b);
        var union = ua.Union(ub).Area;
        return union == 0 ? 1 : ua.Intersection(ub).Area / union;
    }
}

/// <summary>
/// Prediction frames shaped like the contour step's input: waste-site blobs (ellipses 100–300 m across at 10 m
/// pixels, soft noisy edges) and scattered specks, values below 0.5 zeroed as SiteContours does, optionally a NaN (nodata) strip.
/// Deterministic per seed.
/// </summary>
internal static class SyntheticPredictionFrames
{
    public static float[] Make(int size, int seed, bool nodataStrip)
    {
        var rng = new Random(seed);
        var frame = new float[size * size];
        // sites 100–300 m across (semi-axes 5–15 px at 10 m), about one per 9 km² plus a few
        int sites = 2 + rng.Next(4) + size * size / 90_000;
        var blobs = Enumerable.Range(0, sites).Select(_ => (
            X: rng.NextDouble() * size, Y: rng.NextDouble() * size,
            A: 5 + 10 * rng.NextDouble(), B: 5 + 10 * rng.NextDouble(),
            Angle: rng.NextDouble() * Math.PI, Peak: 0.7 + 0.3 * rng.NextDouble())).ToList();
        for (int r = 0; r < size; r++)
            for (int c = 0; c < size; c++)
            {
                double v = 0;
                foreach (var b in blobs)
                {
                    double dx = c + 0.5 - b.X, dy = r + 0.5 - b.Y;
                    double u = (dx * Math.Cos(b.Angle) + dy * Math.Sin(b.Angle)) / b.A;
                    double w = (-dx * Math.Sin(b.Angle) + dy * Math.Cos(b.Angle)) / b.B;
                    v = Math.Max(v, b.Peak * Math.Exp(-Math.Pow(u * u + w * w, 2)));
                }
                v += 0.25 * (rng.NextDouble() - 0.5);
                if (rng.NextDouble() < 0.002) v = 0.6 + 0.4 * rng.NextDouble(); // isolated specks
                frame[r * size + c] = v < 0.5 ? 0 : (float)Math.Min(1, v);
            }
        if (nodataStrip)
            for (int r = 0; r < size; r++)
                for (int c = size / 3; c < size / 3 + Math.Max(2, size / 40); c++) frame[r * size + c] = float.NaN;
        return frame;
    }
}
