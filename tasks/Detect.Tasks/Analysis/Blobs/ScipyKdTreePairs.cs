namespace Detect.Tasks.Analysis.Blobs;

/// <summary>
/// The pairs scipy 1.10's <c>cKDTree(points).query_pairs(r)</c> finds, in the order its C++ traversal finds them
/// (what <c>output_type='ndarray'</c> returns). skimage's <c>_prune_blobs</c> iterates the Python set built from them
/// in that order (<see cref="PythonSetOrder"/>), and the pruning result depends on that order whenever a blob that
/// drops a smaller one is itself dropped by a larger one that does not overlap the smallest enough.
/// </summary>
/// <remarks>
/// The tree: leaf size 16, <c>balanced_tree=True</c> (split at the median by <c>std::nth_element</c>, then the lower
/// half partitioned by <c>std::partition</c> at the split value; sliding midpoint when that leaves one side empty) and
/// <c>compact_nodes=True</c> (split dimension by the spread of the node's own points). The traversal: scipy's
/// <c>traverse_checking</c> with its rectangle-to-rectangle distance tracker (squared distances for p = 2, r² as
/// r·r), switching to <c>traverse_no_checking</c> for node pairs entirely within r, which emits pairs in another order
/// than checking each would. Pixel coordinates are small integers, so every distance here is exact. Checked against
/// scipy 1.10.1 (tree.indices, the ndarray order, the set order) on hundreds of random point sets with duplicates.
/// </remarks>
internal sealed class ScipyKdTreePairs
{
    private const int LeafSize = 16, Dims = 2;

    private sealed class Node
    {
        public int Start, End, SplitDim = -1;
        public double Split;
        public Node? Less, Greater;
        public bool IsLeaf => SplitDim == -1;
    }

    private readonly double[] data; // point i: data[2i], data[2i + 1]
    private readonly int[] indices;
    private readonly Node root;
    private readonly List<(int I, int J)> found = [];
    // the tracker's two rectangles (mins, maxes per dimension), its squared distances and its stack
    private readonly double[] mins1 = new double[Dims], maxes1 = new double[Dims], mins2 = new double[Dims], maxes2 = new double[Dims];
    private double minDistance, maxDistance, upperBound;
    private readonly Stack<(int Which, int Dim, double Min, double Max, double MinDistance, double MaxDistance)> stack = new();

    private ScipyKdTreePairs(double[] data)
    {
        this.data = data;
        int n = data.Length / Dims;
        indices = Enumerable.Range(0, n).ToArray();
        root = Build(0, n);
    }

    /// <summary>The pairs (i &lt; j) of points at most <paramref name="r"/> apart, in scipy's order.</summary>
    /// <param name="points">(x, y) per point, as the rows of the array given to cKDTree.</param>
    public static List<(int I, int J)> QueryPairs(IReadOnlyList<(double X, double Y)> points, double r)
    {
        if (points.Count == 0) return [];
        var data = new double[points.Count * Dims];
        for (int i = 0; i < points.Count; i++) (data[2 * i], data[2 * i + 1]) = points[i];
        var tree = new ScipyKdTreePairs(data);
        tree.Query(r);
        return tree.found;
    }

    /// <summary>The point order inside the tree (cKDTree's <c>indices</c>), for the tests.</summary>
    internal static int[] TreeIndices(IReadOnlyList<(double X, double Y)> points)
    {
        var data = new double[points.Count * Dims];
        for (int i = 0; i < points.Count; i++) (data[2 * i], data[2 * i + 1]) = points[i];
        return new ScipyKdTreePairs(data).indices;
    }

    private double At(int point, int dim) => data[point * Dims + dim];

    private Node Build(int start, int end)
    {
        var node = new Node { Start = start, End = end };
        if (end - start <= LeafSize) return node;

        // compact nodes: the bounds of this node's own points
        Span<double> mins = stackalloc double[Dims], maxes = stackalloc double[Dims];
        for (int k = 0; k < Dims; k++) mins[k] = maxes[k] = At(indices[start], k);
        for (int j = start + 1; j < end; j++)
            for (int k = 0; k < Dims; k++)
            {
                double v = At(indices[j], k);
                maxes[k] = maxes[k] > v ? maxes[k] : v;
                mins[k] = mins[k] < v ? mins[k] : v;
            }
        int d = 0;
        double size = 0;
        for (int k = 0; k < Dims; k++)
            if (maxes[k] - mins[k] > size) { d = k; size = maxes[k] - mins[k]; }
        if (maxes[d] == mins[d]) return node; // all points identical: a leaf

        bool Less(int a, int b) => At(a, d) < At(b, d);
        int mid = start + (end - start) / 2;
        LibstdcxxAlgorithms.NthElement(indices, start, mid, end, Less);
        double split = At(indices[mid], d);
        int p = LibstdcxxAlgorithms.Partition(indices, start, mid, i => At(i, d) < split);
        if (p == start)
        {
            // no point below the split: slide it just above the smallest (std::min_element: the first smallest)
            int min = indices[start];
            for (int j = start + 1; j < end; j++) if (Less(indices[j], min)) min = indices[j];
            split = Math.BitIncrement(At(min, d));
            p = LibstdcxxAlgorithms.Partition(indices, start, end, i => At(i, d) < split);
        }
        else if (p == end)
        {
            int max = indices[start]; // std::max_element: the first largest
            for (int j = start + 1; j < end; j++) if (Less(max, indices[j])) max = indices[j];
            split = At(max, d);
            p = LibstdcxxAlgorithms.Partition(indices, start, end, i => At(i, d) < split);
        }
        if (p == start || p == end)
            throw new InvalidOperationException("kd-tree split left one side empty; cannot happen with compact nodes.");
        node.SplitDim = d;
        node.Split = split;
        node.Less = Build(start, p);
        node.Greater = Build(p, end);
        return node;
    }

    private void Query(double r)
    {
        for (int k = 0; k < Dims; k++)
        {
            double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
            for (int i = 0; i < data.Length / Dims; i++) { lo = Math.Min(lo, At(i, k)); hi = Math.Max(hi, At(i, k)); }
            (mins1[k], maxes1[k], mins2[k], maxes2[k]) = (lo, hi, lo, hi);
        }
        upperBound = r * r; // distances are tracked squared (p = 2); eps = 0, so scipy's epsfac is 1
        (minDistance, maxDistance) = (0, 0);
        for (int k = 0; k < Dims; k++)
        {
            var (min, max) = IntervalDistance(k);
            minDistance += min;
            maxDistance += max;
        }
        TraverseChecking(root, root);
    }

    /// <summary>scipy <c>interval_interval_2</c>: squared min and max distance of the rectangles along one dimension.</summary>
    private (double Min, double Max) IntervalDistance(int k)
    {
        double min = Math.Max(0, Math.Max(mins1[k] - maxes2[k], mins2[k] - maxes1[k]));
        double max = Math.Max(maxes1[k] - mins2[k], maxes2[k] - mins1[k]);
        return (min * min, max * max);
    }

    private void Push(int which, bool less, Node node)
    {
        var (mins, maxes) = which == 1 ? (mins1, maxes1) : (mins2, maxes2);
        int k = node.SplitDim;
        stack.Push((which, k, mins[k], maxes[k], minDistance, maxDistance));
        var (min, max) = IntervalDistance(k);
        minDistance -= min;
        maxDistance -= max;
        if (less) maxes[k] = node.Split; else mins[k] = node.Split;
        (min, max) = IntervalDistance(k);
        minDistance += min;
        maxDistance += max;
    }

    private void Pop()
    {
        var item = stack.Pop();
        (minDistance, maxDistance) = (item.MinDistance, item.MaxDistance);
        var (mins, maxes) = item.Which == 1 ? (mins1, maxes1) : (mins2, maxes2);
        (mins[item.Dim], maxes[item.Dim]) = (item.Min, item.Max);
    }

    private void Add(int i, int j) => found.Add(i < j ? (i, j) : (j, i));

    private void TraverseChecking(Node node1, Node node2)
    {
        if (minDistance > upperBound) return;
        if (maxDistance < upperBound) { TraverseNoChecking(node1, node2); return; }
        if (node1.IsLeaf && node2.IsLeaf)
        {
            for (int i = node1.Start; i < node1.End; i++)
                for (int j = node1 == node2 ? i + 1 : node2.Start; j < node2.End; j++)
                {
                    int a = indices[i], b = indices[j];
                    double dx = At(a, 0) - At(b, 0), dy = At(a, 1) - At(b, 1);
                    if (dx * dx + dy * dy <= upperBound) Add(a, b);
                }
        }
        else if (node1.IsLeaf)
        {
            Push(2, true, node2); TraverseChecking(node1, node2.Less!); Pop();
            Push(2, false, node2); TraverseChecking(node1, node2.Greater!); Pop();
        }
        else if (node2.IsLeaf)
        {
            Push(1, true, node1); TraverseChecking(node1.Less!, node2); Pop();
            Push(1, false, node1); TraverseChecking(node1.Greater!, node2); Pop();
        }
        else
        {
            Push(1, true, node1);
            Push(2, true, node2); TraverseChecking(node1.Less!, node2.Less!); Pop();
            Push(2, false, node2); TraverseChecking(node1.Less!, node2.Greater!); Pop();
            Pop();
            Push(1, false, node1);
            if (node1 != node2) { Push(2, true, node2); TraverseChecking(node1.Greater!, node2.Less!); Pop(); } // same pair twice over otherwise
            Push(2, false, node2); TraverseChecking(node1.Greater!, node2.Greater!); Pop();
            Pop();
        }
    }

    private void TraverseNoChecking(Node node1, Node node2)
    {
        if (node1.IsLeaf && node2.IsLeaf)
        {
            for (int i = node1.Start; i < node1.End; i++)
                for (int j = node1 == node2 ? i + 1 : node2.Start; j < node2.End; j++)
                    Add(indices[i], indices[j]);
        }
        else if (node1.IsLeaf)
        {
            TraverseNoChecking(node1, node2.Less!);
            TraverseNoChecking(node1, node2.Greater!);
        }
        else if (node1 == node2)
        {
            TraverseNoChecking(node1.Less!, node2.Less!);
            TraverseNoChecking(node1.Less!, node2.Greater!);
            TraverseNoChecking(node1.Greater!, node2.Greater!);
        }
        else
        {
            TraverseNoChecking(node1.Less!, node2);
            TraverseNoChecking(node1.Greater!, node2);
        }
    }
}
