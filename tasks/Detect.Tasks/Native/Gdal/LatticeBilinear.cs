namespace Detect.Tasks.Native.Gdal;

/// <summary>
/// GDAL's bilinear warp, written out for a UInt16 source on a <see cref="NestedLattice"/>: the six 20 m bands (2×) and
/// the two 60 m bands (6×) of every Sentinel-2 scene under a 10 m tile of its own zone. Several times faster than the
/// warper (bench/README-bali.md). At 2× it is value for value what GDAL 3.6's general bilinear kernel writes: every
/// coordinate and weight is an exact binary fraction (¼, ¾), so the sums round as GDAL's do. At 6× the weights are
/// twelfths, not binary fractions, and where the exact value is a tie (k + ½ DN) GDAL's floating-point sum and this one
/// may round to different sides: such pixels are 1 DN apart, every other pixel is equal (both checked in WarpTests
/// against exact rational arithmetic: ~1.9 % of pixels are ties, about half of them come out 1 DN apart).
/// </summary>
/// <remarks>
/// For a grid pixel centre at source pixel coordinate (sx, sy): nodata when the source pixel containing it is outside or
/// nodata (GDAL skips such pixels); else the four neighbours around it, ix = ⌊sx − ½⌋, weights rx = 1.5 − (sx − ix) and
/// 1 − rx (the same per row), outside or nodata neighbours left out and the weights renormalised (none left: nodata),
/// then rounded half up and clamped as GDAL stores a UInt16. Source coordinates are (grid origin − source origin) /
/// source pixel + (c + ½) · grid pixel / source pixel, one affine as GDAL composes them for an unprojected warp.
/// </remarks>
internal static class LatticeBilinear
{
    /// <summary>Resamples band <paramref name="band"/> of <paramref name="source"/>, or returns false when the case is not this one.</summary>
    public static bool TryResample<T>(GdalDataset source, int band, RasterGrid grid, Resampling resampling, double? sourceNoData,
        double destinationNoData, Span<T> result) where T : unmanaged
    {
        if (typeof(T) != typeof(ushort) || resampling != Resampling.Bilinear || source.DataType(band) != GdalDataType.UInt16) return false;
        if (sourceNoData is null && source.GetNoData(band) is not null) return false; // GDAL would take the band's own nodata
        if (NestedLattice.Of(source, grid) is not { } lattice) return false;
        var values = source.ReadBand<ushort>(band);
        var noData = sourceNoData is { } nd && nd is >= 0 and <= ushort.MaxValue && nd == Math.Floor(nd) ? (int)nd : -1;
        var output = System.Runtime.InteropServices.MemoryMarshal.Cast<T, ushort>(result);
        Resample(values, source.Width, source.Height, noData, lattice, (ushort)destinationNoData, output[..grid.PixelCount], grid.Width, grid.Height);
        return true;
    }

    /// <summary>The same for a UInt16 window already in memory (no dataset: its values are resampled where they are).</summary>
    public static bool TryResample(SourceWindow.Values<ushort> window, RasterGrid grid, Resampling resampling, double sourceNoData,
        double destinationNoData, Span<ushort> result)
    {
        if (resampling != Resampling.Bilinear) return false;
        var lattice = window.Lattice;
        if (NestedLattice.Of(lattice.Transform, lattice.Wkt, grid) is not { } nested) return false;
        var noData = sourceNoData is >= 0 and <= ushort.MaxValue && sourceNoData == Math.Floor(sourceNoData) ? (int)sourceNoData : -1;
        Resample(window.Data, lattice.Width, lattice.Height, noData, nested, (ushort)destinationNoData, result[..grid.PixelCount], grid.Width, grid.Height);
        return true;
    }

    /// <summary>
    /// <paramref name="src"/> (row-major, <paramref name="width"/> × <paramref name="height"/>) onto a
    /// <paramref name="dstWidth"/> × <paramref name="dstHeight"/> grid. Pixels whose four neighbours are all inside and
    /// valid take the fast path: at 2× and 4× an exact integer sum (below), at other factors the same floating-point sum as
    /// <see cref="ResampleGeneral"/> without its per-neighbour checks. The rest (edges, nodata nearby) take the general path.
    /// </summary>
    internal static void Resample(ReadOnlySpan<ushort> src, int width, int height, int noData, NestedLattice lattice,
        ushort fill, Span<ushort> dst, int dstWidth, int dstHeight)
    {
        var columns = Columns.Of(lattice, dstWidth);
        var (from, to) = columns.Interior(width);
        var pending = new int[dstWidth];
        var exact = lattice.Factor is 2 or 4;
        var rows = exact ? new ExactRows(width, lattice.Factor, noData) : null;
        var floats = exact ? null : new FloatRows(columns, noData);
        for (var r = 0; r < dstHeight; r++)
        {
            var (row, top, ry) = RowOf(lattice, r);
            var target = dst.Slice(r * dstWidth, dstWidth);
            if (row < 0 || row >= height) { target.Fill(fill); continue; }
            if (top < 0 || top + 1 >= height || from >= to)
            {
                for (var c = 0; c < dstWidth; c++) target[c] = General(src, width, height, noData, columns, c, row, top, ry, fill);
                continue;
            }
            for (var c = 0; c < from; c++) target[c] = General(src, width, height, noData, columns, c, row, top, ry, fill);
            for (var c = to; c < dstWidth; c++) target[c] = General(src, width, height, noData, columns, c, row, top, ry, fill);
            var above = src.Slice(top * width, width);
            var below = src.Slice((top + 1) * width, width);
            var count = rows is not null
                ? rows.Interpolate(above, below, columns, ry, target, from, to, pending)
                : floats!.Interpolate(above, below, columns, ry, target, from, to, pending);
            for (var k = 0; k < count; k++) target[pending[k]] = General(src, width, height, noData, columns, pending[k], row, top, ry, fill);
        }
    }

    /// <summary>
    /// The interior columns of a row at 2× or 4×, where every weight is a multiple of 1/(2·Factor), a power of two: with
    /// integer weights w = weight · 2·Factor the sum Σ wx·wy·v is exact and is (2·Factor)² times the floating-point sum,
    /// which is then exact too (and its divisor exactly 1); "+ half, then shift" is its round half up. Being exact, the
    /// sum can be taken in any order: first down each source column (wyTop·above + wyBottom·below, vectorised), then
    /// across (wx·left + (2k − wx)·right), so each source column is blended once per row, not once per grid pixel.
    /// </summary>
    private sealed class ExactRows(int width, int factor, int noData)
    {
        private readonly int[] _blend = new int[width];
        private readonly ushort[] _invalid = new ushort[width]; // 0xFFFF where above or below is nodata
        private readonly int _scale = 2 * factor;
        private readonly int _shift = factor == 2 ? 4 : 6;

        /// <summary>Writes the columns [from, to) whose four neighbours are valid; the others go to <paramref name="pending"/> (returns how many).</summary>
        public int Interpolate(ReadOnlySpan<ushort> above, ReadOnlySpan<ushort> below, Columns columns, double ry,
            Span<ushort> target, int from, int to, Span<int> pending)
        {
            var wyTop = (int)Math.Round(ry * _scale);
            var first = columns.Left[from];
            BlendDown(above, below, wyTop, _scale - wyTop, first, columns.Left[to - 1] + 2);
            ReadOnlySpan<int> blend = _blend, left = columns.Left, weights = columns.WeightScaled;
            ReadOnlySpan<ushort> invalid = _invalid;
            var half = 1 << (_shift - 1);
            var count = 0;
            for (var c = from; c < to; c++)
            {
                var ix = left[c];
                if ((invalid[ix] | invalid[ix + 1]) != 0) { pending[count++] = c; continue; }
                var wx = weights[c];
                target[c] = (ushort)((wx * blend[ix] + (_scale - wx) * blend[ix + 1] + half) >> _shift);
            }
            return count;
        }

        /// <summary>blend[j] = wyTop·above[j] + wyBottom·below[j] and the nodata flags, for source columns [j0, j1).</summary>
        private void BlendDown(ReadOnlySpan<ushort> above, ReadOnlySpan<ushort> below, int wyTop, int wyBottom, int j0, int j1)
        {
            var j = j0;
            var lanes = System.Numerics.Vector<ushort>.Count;
            if (System.Numerics.Vector.IsHardwareAccelerated)
            {
                var (top, bottom) = (new System.Numerics.Vector<uint>((uint)wyTop), new System.Numerics.Vector<uint>((uint)wyBottom));
                var none = new System.Numerics.Vector<ushort>((ushort)Math.Max(0, noData));
                var hasNoData = noData >= 0;
                for (; j + lanes <= j1; j += lanes)
                {
                    var a = new System.Numerics.Vector<ushort>(above[j..]);
                    var b = new System.Numerics.Vector<ushort>(below[j..]);
                    System.Numerics.Vector.Widen(a, out var aLow, out var aHigh);
                    System.Numerics.Vector.Widen(b, out var bLow, out var bHigh);
                    System.Numerics.Vector.AsVectorInt32(aLow * top + bLow * bottom).CopyTo(_blend.AsSpan(j));
                    System.Numerics.Vector.AsVectorInt32(aHigh * top + bHigh * bottom).CopyTo(_blend.AsSpan(j + lanes / 2));
                    var invalid = hasNoData ? System.Numerics.Vector.Equals(a, none) | System.Numerics.Vector.Equals(b, none) : default;
                    invalid.CopyTo(_invalid.AsSpan(j));
                }
            }
            for (; j < j1; j++)
            {
                _blend[j] = wyTop * above[j] + wyBottom * below[j];
                _invalid[j] = above[j] == noData || below[j] == noData ? ushort.MaxValue : (ushort)0;
            }
        }
    }

    /// <summary>
    /// The interior columns of a row at the other factors: the general path's floating-point sum, term for term in its
    /// order (floating-point addition is not associative), without its per-neighbour checks. A row's weights depend on
    /// the column only through its left weight, which takes at most 2·Factor values, so they are computed once per row
    /// per value, exactly as the general path computes them.
    /// </summary>
    private sealed class FloatRows(Columns columns, int noData)
    {
        private readonly double[] _w0 = new double[columns.Distinct.Length], _w1 = new double[columns.Distinct.Length],
            _w2 = new double[columns.Distinct.Length], _w3 = new double[columns.Distinct.Length], _divisor = new double[columns.Distinct.Length];

        public int Interpolate(ReadOnlySpan<ushort> above, ReadOnlySpan<ushort> below, Columns columns, double ry,
            Span<ushort> target, int from, int to, Span<int> pending)
        {
            for (var p = 0; p < _w0.Length; p++)
            {
                var rx = columns.Distinct[p];
                (_w0[p], _w1[p], _w2[p], _w3[p]) = (rx * ry, (1 - rx) * ry, (1 - rx) * (1 - ry), rx * (1 - ry));
                _divisor[p] = _w0[p] + _w1[p] + _w2[p] + _w3[p];
            }
            ReadOnlySpan<int> left = columns.Left, phase = columns.Phase;
            var count = 0;
            for (var c = from; c < to; c++)
            {
                var ix = left[c];
                int a = above[ix], b = above[ix + 1], d = below[ix], e = below[ix + 1];
                if ((a == noData) | (b == noData) | (d == noData) | (e == noData)) { pending[count++] = c; continue; }
                var p = phase[c];
                var total = a * _w0[p] + b * _w1[p] + e * _w2[p] + d * _w3[p];
                var divisor = _divisor[p];
                var value = divisor == 1.0 ? total : total / divisor;
                target[c] = value > ushort.MaxValue ? ushort.MaxValue : (ushort)(value + 0.5);
            }
            return count;
        }
    }

    /// <summary>Every pixel by the general rule (the reference the fast paths of <see cref="Resample"/> are tested against).</summary>
    internal static void ResampleGeneral(ReadOnlySpan<ushort> src, int width, int height, int noData, NestedLattice lattice,
        ushort fill, Span<ushort> dst, int dstWidth, int dstHeight)
    {
        var columns = Columns.Of(lattice, dstWidth);
        for (var r = 0; r < dstHeight; r++)
        {
            var (row, top, ry) = RowOf(lattice, r);
            var target = dst.Slice(r * dstWidth, dstWidth);
            if (row < 0 || row >= height) { target.Fill(fill); continue; }
            for (var c = 0; c < dstWidth; c++) target[c] = General(src, width, height, noData, columns, c, row, top, ry, fill);
        }
    }

    /// <summary>For grid row <paramref name="r"/>: the containing source row, the upper neighbour and its weight.</summary>
    private static (int Row, int Top, double Weight) RowOf(NestedLattice lattice, int r)
    {
        var sy = lattice.RowCentre(r);
        var top = (int)Math.Floor(sy - 0.5);
        return ((int)Math.Floor(sy), top, 1.5 - (sy - top));
    }

    /// <summary>One pixel: nodata unless its containing source pixel is valid, else the renormalised sum over the valid neighbours.</summary>
    private static ushort General(ReadOnlySpan<ushort> src, int width, int height, int noData, Columns columns, int c, int row, int top, double ry, ushort fill)
    {
        var col = columns.Containing[c];
        if (col < 0 || col >= width || src[row * width + col] == noData) return fill;
        var ix = columns.Left[c];
        var rx = columns.Weight[c];
        double sum = 0, divisor = 0;
        Add(src, width, height, noData, ix, top, rx * ry, ref sum, ref divisor);
        Add(src, width, height, noData, ix + 1, top, (1 - rx) * ry, ref sum, ref divisor);
        Add(src, width, height, noData, ix + 1, top + 1, (1 - rx) * (1 - ry), ref sum, ref divisor);
        Add(src, width, height, noData, ix, top + 1, rx * (1 - ry), ref sum, ref divisor);
        if (divisor < 0.00001) return fill;
        var value = divisor == 1.0 ? sum : sum / divisor;
        return value < 0 ? (ushort)0 : value > ushort.MaxValue ? ushort.MaxValue : (ushort)(value + 0.5);
    }

    private static void Add(ReadOnlySpan<ushort> src, int width, int height, int noData, int x, int y, double weight, ref double sum, ref double divisor)
    {
        if (x < 0 || x >= width || y < 0 || y >= height) return;
        var v = src[y * width + x];
        if (v == noData) return;
        sum += v * weight;
        divisor += weight;
    }

    /// <summary>Per grid column (the same for every row): the containing source column, the left neighbour and its weight.</summary>
    private sealed class Columns
    {
        public required int[] Containing { get; init; }
        public required int[] Left { get; init; }
        public required double[] Weight { get; init; }

        /// <summary>The left weight × 2·Factor, a whole number (used at 2× and 4×, where it is exact).</summary>
        public required int[] WeightScaled { get; init; }

        /// <summary>The distinct left weights (at most 2·Factor), and per column the index of its own among them.</summary>
        public required double[] Distinct { get; init; }

        public required int[] Phase { get; init; }

        /// <summary>
        /// The grid columns [from, to) whose two source neighbours lie inside a source <paramref name="width"/> wide (the
        /// left neighbour grows with the column, so they are one run).
        /// </summary>
        public (int From, int To) Interior(int width)
        {
            var from = 0;
            while (from < Left.Length && Left[from] < 0) from++;
            var to = from;
            while (to < Left.Length && Left[to] + 1 < width) to++;
            return (from, to);
        }

        public static Columns Of(NestedLattice lattice, int dstWidth)
        {
            var (containing, left, weight, scaled, phase) = (new int[dstWidth], new int[dstWidth], new double[dstWidth], new int[dstWidth], new int[dstWidth]);
            var distinct = new List<double>();
            for (var c = 0; c < dstWidth; c++)
            {
                var sx = lattice.ColumnCentre(c);
                containing[c] = (int)Math.Floor(sx);
                left[c] = (int)Math.Floor(sx - 0.5);
                weight[c] = 1.5 - (sx - left[c]);
                scaled[c] = (int)Math.Round(weight[c] * 2 * lattice.Factor);
                phase[c] = distinct.IndexOf(weight[c]); // bit for bit: the same weight gives the same products
                if (phase[c] < 0) { phase[c] = distinct.Count; distinct.Add(weight[c]); }
            }
            return new Columns { Containing = containing, Left = left, Weight = weight, WeightScaled = scaled, Distinct = [.. distinct], Phase = phase };
        }
    }
}
