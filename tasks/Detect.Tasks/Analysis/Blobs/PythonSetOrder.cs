namespace Detect.Tasks.Analysis.Blobs;

/// <summary>
/// The iteration order of a CPython (64-bit) <c>set</c> of <c>(int, int)</c> tuples built by adding them
/// in a given order: skimage's <c>_prune_blobs</c> loops over <c>list(tree.query_pairs(r))</c>, a set.
/// </summary>
/// <remarks>
/// A set is an open-addressing table iterated slot by slot. A key's slot: start at hash &amp; mask, try that slot and
/// the next 9 (only while they fit before the table's end), then jump (i = 5i + 1 + perturb, perturb >>= 5 first) and
/// repeat. The table starts with 8 slots and, when fill·5 ≥ mask·3 after an insert, is rebuilt with the smallest
/// power-of-two size above 4·used (2·used beyond 50,000), the old slots re-inserted in slot order. Tuple hash: the
/// xxHash-based one of CPython 3.8+; a non-negative int below 2⁶¹ − 1 hashes to itself.
/// </remarks>
internal static class PythonSetOrder
{
    private const ulong Prime1 = 11400714785074694791UL, Prime2 = 14029467366897019727UL, Prime5 = 2870177450012600261UL;
    private const int LinearProbes = 9, PerturbShift = 5, MinSize = 8;

    /// <summary>The keys in the order <c>list(s)</c> gives for <c>s = set(); for k in keys: s.add(k)</c> (keys distinct).</summary>
    public static List<(int I, int J)> Of(IReadOnlyList<(int I, int J)> keys)
    {
        var table = new int[MinSize];   // index into keys + 1; 0 = empty
        var hashes = new ulong[keys.Count];
        ulong mask = MinSize - 1;
        long used = 0;
        for (int k = 0; k < keys.Count; k++)
        {
            hashes[k] = TupleHash(keys[k].I, keys[k].J);
            Insert(table, mask, k + 1, hashes[k]);
            used++;
            if ((ulong)used * 5 >= mask * 3)
            {
                long minUsed = used > 50000 ? used * 2 : used * 4;
                long size = MinSize;
                while (size <= minUsed) size <<= 1;
                var old = table;
                table = new int[size];
                mask = (ulong)size - 1;
                foreach (int entry in old) if (entry != 0) Insert(table, mask, entry, hashes[entry - 1]);
            }
        }
        var order = new List<(int, int)>(keys.Count);
        foreach (int entry in table) if (entry != 0) order.Add(keys[entry - 1]);
        return order;
    }

    /// <summary>CPython's <c>set_insert_clean</c> probe sequence (also <c>set_add_entry</c>'s for a table without deletions).</summary>
    private static void Insert(int[] table, ulong mask, int entry, ulong hash)
    {
        ulong perturb = hash, i = hash & mask;
        while (true)
        {
            if (table[i] == 0) { table[i] = entry; return; }
            if (i + LinearProbes <= mask)
                for (ulong j = 1; j <= LinearProbes; j++)
                    if (table[i + j] == 0) { table[i + j] = entry; return; }
            perturb >>= PerturbShift;
            i = (i * 5 + 1 + perturb) & mask;
        }
    }

    /// <summary>CPython 3.8+ <c>tuplehash</c> of <c>(a, b)</c> for non-negative ints.</summary>
    internal static ulong TupleHash(long a, long b)
    {
        ulong acc = Prime5;
        foreach (long item in (ReadOnlySpan<long>)[a, b])
        {
            acc += (ulong)item * Prime2;
            acc = (acc << 31) | (acc >> 33);
            acc *= Prime1;
        }
        acc += 2UL ^ (Prime5 ^ 3527539UL);
        return acc == ulong.MaxValue ? 1546275796UL : acc;
    }
}
