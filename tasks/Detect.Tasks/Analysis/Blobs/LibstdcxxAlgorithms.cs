namespace Detect.Tasks.Analysis.Blobs;

/// <summary>
/// GNU libstdc++'s <c>std::nth_element</c> (introselect) and <c>std::partition</c>, step for step, on an array of
/// indices: scipy's cKDTree builds its tree with them, and neither is stable, so the order of the points inside the
/// tree (and with it the order in which <c>query_pairs</c> finds pairs) depends on exactly how they move elements.
/// </summary>
internal static class LibstdcxxAlgorithms
{
    /// <summary><c>std::nth_element(a + first, a + nth, a + last, less)</c>.</summary>
    public static void NthElement(int[] a, int first, int nth, int last, Func<int, int, bool> less)
    {
        if (first == last || nth == last) return;
        int depthLimit = FloorLog2(last - first) * 2;
        while (last - first > 3)
        {
            if (depthLimit == 0)
            {
                HeapSelect(a, first, nth + 1, last, less);
                Swap(a, first, nth); // the nth element to its place
                return;
            }
            depthLimit--;
            int cut = UnguardedPartitionPivot(a, first, last, less);
            if (cut <= nth) first = cut; else last = cut;
        }
        InsertionSort(a, first, last, less);
    }

    /// <summary><c>std::partition(a + first, a + last, pred)</c> (the bidirectional-iterator version libstdc++ uses):
    /// returns the index of the first element for which <paramref name="pred"/> is false.</summary>
    public static int Partition(int[] a, int first, int last, Func<int, bool> pred)
    {
        while (true)
        {
            while (true)
            {
                if (first == last) return first;
                if (pred(a[first])) first++;
                else break;
            }
            last--;
            while (true)
            {
                if (first == last) return first;
                if (!pred(a[last])) last--;
                else break;
            }
            Swap(a, first, last);
            first++;
        }
    }

    private static int UnguardedPartitionPivot(int[] a, int first, int last, Func<int, int, bool> less)
    {
        int mid = first + (last - first) / 2;
        MoveMedianToFirst(a, first, first + 1, mid, last - 1, less);
        return UnguardedPartition(a, first + 1, last, first, less);
    }

    private static void MoveMedianToFirst(int[] a, int result, int x, int y, int z, Func<int, int, bool> less)
    {
        int median;
        if (less(a[x], a[y]))
            median = less(a[y], a[z]) ? y : less(a[x], a[z]) ? z : x;
        else
            median = less(a[x], a[z]) ? x : less(a[y], a[z]) ? z : y;
        Swap(a, result, median);
    }

    private static int UnguardedPartition(int[] a, int first, int last, int pivot, Func<int, int, bool> less)
    {
        while (true)
        {
            while (less(a[first], a[pivot])) first++;
            last--;
            while (less(a[pivot], a[last])) last--;
            if (!(first < last)) return first;
            Swap(a, first, last);
            first++;
        }
    }

    private static void InsertionSort(int[] a, int first, int last, Func<int, int, bool> less)
    {
        if (first == last) return;
        for (int i = first + 1; i < last; i++)
        {
            int value = a[i];
            if (less(value, a[first]))
            {
                Array.Copy(a, first, a, first + 1, i - first); // move_backward
                a[first] = value;
            }
            else
            {
                int j = i;
                while (less(value, a[j - 1])) { a[j] = a[j - 1]; j--; }
                a[j] = value;
            }
        }
    }

    private static void HeapSelect(int[] a, int first, int middle, int last, Func<int, int, bool> less)
    {
        MakeHeap(a, first, middle, less);
        for (int i = middle; i < last; i++)
            if (less(a[i], a[first]))
            {
                int value = a[i]; // __pop_heap(first, middle, i)
                a[i] = a[first];
                AdjustHeap(a, first, 0, middle - first, value, less);
            }
    }

    private static void MakeHeap(int[] a, int first, int last, Func<int, int, bool> less)
    {
        int len = last - first;
        if (len < 2) return;
        for (int parent = (len - 2) / 2; ; parent--)
        {
            AdjustHeap(a, first, parent, len, a[first + parent], less);
            if (parent == 0) return;
        }
    }

    private static void AdjustHeap(int[] a, int first, int hole, int len, int value, Func<int, int, bool> less)
    {
        int top = hole, child = hole;
        while (child < (len - 1) / 2)
        {
            child = 2 * (child + 1);
            if (less(a[first + child], a[first + child - 1])) child--;
            a[first + hole] = a[first + child];
            hole = child;
        }
        if ((len & 1) == 0 && child == (len - 2) / 2)
        {
            child = 2 * (child + 1);
            a[first + hole] = a[first + child - 1];
            hole = child - 1;
        }
        // __push_heap
        int parent = (hole - 1) / 2;
        while (hole > top && less(a[first + parent], value))
        {
            a[first + hole] = a[first + parent];
            hole = parent;
            parent = (hole - 1) / 2;
        }
        a[first + hole] = value;
    }

    private static int FloorLog2(int n) => 31 - int.LeadingZeroCount(n);

    private static void Swap(int[] a, int i, int j) => (a[i], a[j]) = (a[j], a[i]);
}
