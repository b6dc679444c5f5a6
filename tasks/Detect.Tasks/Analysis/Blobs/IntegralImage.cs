using System.Numerics;

namespace Detect.Tasks.Analysis.Blobs;

/// <summary>
/// Rows of scikit-image's <c>integral_image</c> (inclusive summed-area table, float64), produced top to bottom into a
/// ring that holds only the rows the box filters can still reach, so an 8000² heatmap never needs its 512 MB table.
/// </summary>
/// <remarks>
/// The sums are made in numpy's order, not just to the same value: <c>integral_image</c> is <c>cumsum(axis=0)</c> then
/// <c>cumsum(axis=1)</c>, i.e. each column is summed downwards first (<c>A[r] = A[r−1] + x[r]</c>) and each row of those
/// column sums is then summed to the right (<c>S[r, c] = S[r, c−1] + A[r, c]</c>). Floating-point addition is not
/// associative, so another order (row sums first, or a running sum plus the row above) gives different last bits on
/// general heatmaps. (For the pipeline's heatmaps, float32 values ≥ 0.75 or 0, every partial sum is a multiple of 2⁻²⁴
/// below 2²⁹ and therefore exact in any order; with a lower <see cref="BlobOptions.PredThreshold"/> it is not.)
/// </remarks>
internal sealed unsafe class IntegralImage
{
    private readonly float* heatmap;
    private readonly float zeroBelow;
    private readonly double[] columnSums; // A of the last row produced: the column sums of rows 0 … Produced−1
    private readonly double[] ring;
    private readonly int capacity;

    public int Width { get; }
    public int Height { get; }
    /// <summary>Rows 0 … Produced−1 have been made; the last <c>capacity</c> of them are held.</summary>
    public int Produced { get; private set; }

    /// <param name="heatmap">Row-major heatmap, pinned by the caller for this object's lifetime.</param>
    /// <param name="firstRow">The first row this window will produce.</param>
    /// <param name="columnSumsBefore">The column sums of rows 0 … firstRow−1 in numpy's order (<see cref="ColumnSumsBefore"/>);
    /// zeros when <paramref name="firstRow"/> is 0.</param>
    /// <param name="capacity">How many consecutive rows are held.</param>
    /// <param name="ringBuffer">Optional storage of at least capacity·width values, reused between windows.</param>
    public IntegralImage(float* heatmap, int width, int height, float zeroBelow, int firstRow, ReadOnlySpan<double> columnSumsBefore,
        int capacity, double[]? ringBuffer = null)
    {
        this.heatmap = heatmap;
        this.zeroBelow = zeroBelow;
        Width = width;
        Height = height;
        this.capacity = Math.Min(capacity, height);
        ring = ringBuffer is not null && ringBuffer.LongLength >= (long)this.capacity * width ? ringBuffer : new double[(long)this.capacity * width];
        columnSums = columnSumsBefore.ToArray();
        Produced = firstRow;
    }

    /// <summary>Row <paramref name="r"/> of the table; it must be one of the held rows.</summary>
    public ReadOnlySpan<double> Row(int r) => ring.AsSpan(RowStart(r), Width);

    /// <summary>Where row <paramref name="r"/> starts in <see cref="Values"/>.</summary>
    public int RowStart(int r)
    {
        if (r >= Produced || r < Produced - capacity)
            throw new InvalidOperationException($"Integral image row {r} is not held (rows {Math.Max(0, Produced - capacity)}…{Produced - 1}).");
        return r % capacity * Width;
    }

    /// <summary>The ring storage; row r starts at <see cref="RowStart"/>(r).</summary>
    public double[] Values => ring;

    /// <summary>Makes rows up to and including <paramref name="r"/> (clamped to the raster).</summary>
    public void ProduceThrough(int r)
    {
        r = Math.Min(r, Height - 1);
        while (Produced <= r)
        {
            int row = Produced;
            AddZeroedRow(new ReadOnlySpan<float>(heatmap + (long)row * Width, Width), columnSums, zeroBelow);
            var dst = ring.AsSpan(row % capacity * Width, Width);
            double running = columnSums[0];
            dst[0] = running;
            for (int c = 1; c < dst.Length; c++) dst[c] = running += columnSums[c];
            Produced++;
        }
    }

    /// <summary>The column sums of rows 0 … rows[i]−1 for each (ascending) <paramref name="rows"/>[i], in one pass down the heatmap.</summary>
    public static double[][] ColumnSumsBefore(float* heatmap, int width, float zeroBelow, IReadOnlyList<int> rows)
    {
        var result = new double[rows.Count][];
        var sums = new double[width];
        int done = 0;
        for (int i = 0; i < rows.Count; i++)
        {
            for (; done < rows[i]; done++) AddZeroedRow(new ReadOnlySpan<float>(heatmap + (long)done * width, width), sums, zeroBelow);
            result[i] = (double[])sums.Clone();
        }
        return result;
    }

    /// <summary>sums[c] += x[c] (as float64), where x is the heatmap row with NaN and values below zeroBelow set to 0.</summary>
    private static void AddZeroedRow(ReadOnlySpan<float> src, Span<double> sums, float zeroBelow)
    {
        int c = 0, n = Vector<float>.Count;
        if (Vector.IsHardwareAccelerated)
        {
            var limit = new Vector<float>(zeroBelow);
            for (; c + n <= src.Length; c += n)
            {
                var v = new Vector<float>(src.Slice(c));
                v = Vector.ConditionalSelect(Vector.GreaterThanOrEqual(v, limit), v, Vector<float>.Zero); // NaN fails >=: zeroed
                Vector.Widen(v, out var low, out var high);
                var s = sums.Slice(c);
                (new Vector<double>(s) + low).CopyTo(s);
                (new Vector<double>(s.Slice(n / 2)) + high).CopyTo(s.Slice(n / 2));
            }
        }
        for (; c < src.Length; c++)
        {
            float v = src[c];
            if (!(v >= zeroBelow)) v = 0; // NaN fails every comparison, so it is zeroed too
            sums[c] += v;
        }
    }
}
