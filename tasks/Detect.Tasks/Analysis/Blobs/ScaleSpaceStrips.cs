namespace Detect.Tasks.Analysis.Blobs;

/// <summary>
/// The peaks of the whole determinant cube, found strip by strip of rows on all cores without holding the cube or the
/// integral image: per strip, a ring of integral-image rows and the determinants of three rows × all scales.
/// </summary>
internal static class ScaleSpaceStrips
{
    /// <summary>Rows per strip at least; more strips than cores so a busy core does not hold the others up.</summary>
    private const int MinRowsPerStrip = 64;

    public static unsafe List<ScaleSpacePeaks.Peak> FindPeaks(float* heatmap, int width, int height, float zeroBelow,
        HessianDeterminant.Kernel[] kernels, double threshold)
    {
        int strips = Math.Clamp(height / MinRowsPerStrip, 1, 4 * Environment.ProcessorCount);
        var bounds = Enumerable.Range(0, strips + 1).Select(i => (int)((long)height * i / strips)).ToArray();
        var (firstRead, lastRead) = RowsRead(kernels, height);
        int capacity = 0;
        for (int r = 0; r < height; r++) capacity = Math.Max(capacity, lastRead[r] - firstRead[r] + 1);
        // each strip's determinants start one row above it (its first row's peak test needs it)
        var firstDet = Enumerable.Range(0, strips).Select(i => Math.Max(0, bounds[i] - 1)).ToArray();
        var columnSums = IntegralImage.ColumnSumsBefore(heatmap, width, zeroBelow, firstDet.Select(r => firstRead[r]).ToArray());

        var found = new List<ScaleSpacePeaks.Peak>[strips];
        var options = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount };
        Parallel.For(0, strips, options,
            () => new double[(long)capacity * width],
            (i, _, ring) =>
            {
                var ii = new IntegralImage(heatmap, width, height, zeroBelow, firstRead[firstDet[i]], columnSums[i], capacity, ring);
                found[i] = Strip(ii, kernels, bounds[i], bounds[i + 1], lastRead, threshold);
                return ring;
            },
            _ => { });
        return found.SelectMany(p => p).ToList();
    }

    /// <summary>The peaks in rows [<paramref name="from"/>, <paramref name="to"/>).</summary>
    private static List<ScaleSpacePeaks.Peak> Strip(IntegralImage ii, HessianDeterminant.Kernel[] kernels, int from, int to,
        int[] lastRead, double threshold)
    {
        int width = ii.Width, height = ii.Height;
        var det = new double[3][][];
        for (int k = 0; k < 3; k++) det[k] = kernels.Select(_ => new double[width]).ToArray();
        double[][] Det(int r) => det[r % 3];
        var peaks = new List<ScaleSpacePeaks.Peak>();
        for (int r = Math.Max(0, from - 1), last = Math.Min(height - 1, to); r <= last; r++)
        {
            ii.ProduceThrough(lastRead[r]);
            for (int s = 0; s < kernels.Length; s++) HessianDeterminant.Row(ii, kernels[s], r, Det(r)[s]);
            int done = r - 1; // its lower neighbour r is now made
            if (done >= from && done < to)
                ScaleSpacePeaks.FindInRow(done > 0 ? Det(done - 1) : null, Det(done), Det(r), done, height, threshold, peaks);
        }
        if (to == height)
            ScaleSpacePeaks.FindInRow(height > 1 ? Det(height - 2) : null, Det(height - 1), null, height - 1, height, threshold, peaks);
        return peaks;
    }

    /// <summary>For each row, the first and last integral-image rows its boxes read over all scales (both never decrease).</summary>
    private static (int[] First, int[] Last) RowsRead(HessianDeterminant.Kernel[] kernels, int height)
    {
        var first = new int[height];
        var last = new int[height];
        for (int r = 0; r < height; r++)
        {
            (first[r], last[r]) = (int.MaxValue, int.MinValue);
            foreach (var k in kernels)
            {
                var (f, l) = HessianDeterminant.RowsRead(k, r, height);
                first[r] = Math.Min(first[r], f);
                last[r] = Math.Max(last[r], l);
            }
        }
        return (first, last);
    }
}
