namespace Detect.Tasks.Analysis.Blobs;

/// <summary>
/// numpy's default <c>argsort</c> (<c>kind='quicksort'</c>: introsort, <c>npysort/quicksort.cpp</c> as in numpy 1.24)
/// for float64 keys, reproduced step for step because it is not stable: skimage orders its peaks with
/// <c>argsort(-intensities)</c>, and the order it gives equal determinants (exact ties are common: a blob centred
/// between pixels has mirror-image neighbours with the same value) decides which blob of a tied pair the pruning keeps.
/// </summary>
/// <remarks>
/// Median-of-three quicksort down to partitions of 16 elements, insertion sort below, heapsort when the recursion is
/// deeper than 2·⌊log₂ n⌋. Checked against numpy 1.24.2 on thousands of arrays with heavy ties (NumpyArgsortTests pins
/// some of them). numpy ≥ 1.25 may sort with AVX-512 (x86-simd-sort) on machines that have it and then orders ties
/// differently; Debian 12's numpy 1.24 (with scikit-image 0.19.3) does not.
/// </remarks>
internal static class NumpyArgsort
{
    private const int SmallQuicksort = 16; // numpy: partitions of at most this many elements go to insertion sort

    /// <summary>The permutation that numpy's <c>argsort(keys)</c> returns.</summary>
    public static int[] Argsort(ReadOnlySpan<double> keys)
    {
        var v = keys.ToArray();
        int num = v.Length;
        var tosort = new int[num];
        for (int i = 0; i < num; i++) tosort[i] = i;
        if (num < 2) return tosort;

        var stack = new Stack<(int Left, int Right, int Depth)>();
        int pl = 0, pr = num - 1, cdepth = MostSignificantBit(num) * 2;
        while (true)
        {
            if (cdepth < 0)
                HeapSort(v, tosort, pl, pr - pl + 1);
            else
            {
                while (pr - pl >= SmallQuicksort)
                {
                    int pm = pl + ((pr - pl) >> 1);
                    if (Less(v[tosort[pm]], v[tosort[pl]])) Swap(tosort, pm, pl);
                    if (Less(v[tosort[pr]], v[tosort[pm]])) Swap(tosort, pr, pm);
                    if (Less(v[tosort[pm]], v[tosort[pl]])) Swap(tosort, pm, pl);
                    double vp = v[tosort[pm]];
                    int pi = pl, pj = pr - 1;
                    Swap(tosort, pm, pj);
                    while (true)
                    {
                        do ++pi; while (Less(v[tosort[pi]], vp));
                        do --pj; while (Less(vp, v[tosort[pj]]));
                        if (pi >= pj) break;
                        Swap(tosort, pi, pj);
                    }
                    Swap(tosort, pi, pr - 1);
                    // the larger partition waits on the stack
                    if (pi - pl < pr - pi) { stack.Push((pi + 1, pr, cdepth - 1)); pr = pi - 1; }
                    else { stack.Push((pl, pi - 1, cdepth - 1)); pl = pi + 1; }
                    cdepth--;
                }
                for (int pi = pl + 1; pi <= pr; pi++)
                {
                    int vi = tosort[pi];
                    double vp = v[vi];
                    int pj = pi;
                    while (pj > pl && Less(vp, v[tosort[pj - 1]])) { tosort[pj] = tosort[pj - 1]; pj--; }
                    tosort[pj] = vi;
                }
            }
            if (stack.Count == 0) break;
            (pl, pr, cdepth) = stack.Pop();
        }
        return tosort;
    }

    /// <summary>numpy's <c>aheapsort</c> of tosort[start .. start+n−1].</summary>
    internal static void HeapSort(double[] v, int[] tosort, int start, int n)
    {
        // numpy indexes the heap from 1: a[k] is tosort[start − 1 + k]
        int A(int k) => tosort[start - 1 + k];
        void Set(int k, int value) => tosort[start - 1 + k] = value;
        for (int l = n >> 1; l > 0; l--)
        {
            int tmp = A(l), i = l, j = l << 1;
            while (j <= n)
            {
                if (j < n && Less(v[A(j)], v[A(j + 1)])) j++;
                if (Less(v[tmp], v[A(j)])) { Set(i, A(j)); i = j; j += j; }
                else break;
            }
            Set(i, tmp);
        }
        for (; n > 1;)
        {
            int tmp = A(n);
            Set(n, A(1));
            n--;
            int i = 1, j = 2;
            while (j <= n)
            {
                if (j < n && Less(v[A(j)], v[A(j + 1)])) j++;
                if (Less(v[tmp], v[A(j)])) { Set(i, A(j)); i = j; j += j; }
                else break;
            }
            Set(i, tmp);
        }
    }

    /// <summary>numpy's float order: NaN sorts last.</summary>
    private static bool Less(double a, double b) => a < b || (double.IsNaN(b) && !double.IsNaN(a));

    private static void Swap(int[] a, int i, int j) => (a[i], a[j]) = (a[j], a[i]);

    private static int MostSignificantBit(int n)
    {
        int depth = 0;
        while ((n >>= 1) != 0) depth++;
        return depth;
    }
}
