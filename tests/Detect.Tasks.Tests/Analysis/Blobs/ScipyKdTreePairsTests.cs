using Detect.Tasks.Analysis.Blobs;

namespace Detect.Tasks.Tests.Analysis.Blobs;

/// <summary>Expected values: scipy 1.10.1 (Debian 12) <c>cKDTree(points)</c>: <c>.indices</c> and
/// <c>query_pairs(r, output_type='ndarray')</c> (the order the traversal finds the pairs in).</summary>
public class ScipyKdTreePairsTests
{
    /// <summary>150 points on a 60×45 grid with many duplicates: <c>[(i * 37) % 60, (i * 91) % 45]</c>.</summary>
    internal static List<(double X, double Y)> Points(int n) =>
        Enumerable.Range(0, n).Select(i => ((double)(i * 37 % 60), (double)(i * 91 % 45))).ToList();

    /// <summary>Σ (k+1)·(i_k·100003 + j_k) over the sequence: one number for a whole order.</summary>
    internal static long Checksum(IEnumerable<(int I, int J)> pairs) =>
        pairs.Select((p, k) => (k + 1L) * (p.I * 100003L + p.J)).Sum();

    [Fact]
    public void Builds_the_same_tree_as_scipy()
    {
        const string expected = "96 0 138 91 5 49 52 143 99 146 10 13 18 109 57 60 104 7 46 93 135 51 2 4 140 98 54 145 12 59 101 64 15 148 106 62 120 65 23 112 70 117 26 73 31 78 125 36 44 83 133 130 86 39 75 72 111 28 20 67 119 25 114 122 33 124 85 132 80 88 38 41 127 137 92 1 90 142 95 6 139 48 53 9 17 14 61 100 147 56 103 108 8 45 141 136 3 97 50 47 94 144 55 11 149 58 102 105 63 107 16 116 113 69 66 22 30 27 74 121 77 35 126 129 82 87 43 134 40 71 21 110 68 24 19 115 76 29 118 32 123 79 34 89 42 128 131 84 81 37";
        ScipyKdTreePairs.TreeIndices(Points(150)).Should().Equal(expected.Split(' ').Select(int.Parse));
    }

    [Theory]
    [InlineData(12.5, 1396, 4886042750035L)]
    [InlineData(3.0, 112, 29498534572L)]       // pairs only inside leaves and neighbouring leaves
    [InlineData(80.0, 11175, 314139517730460L)] // every pair: whole subtrees within r (no checking)
    public void Finds_the_pairs_in_scipys_order(double r, int count, long checksum)
    {
        var pairs = ScipyKdTreePairs.QueryPairs(Points(150), r);
        pairs.Should().HaveCount(count).And.OnlyContain(p => p.I < p.J);
        pairs.Distinct().Should().HaveCount(count);
        Checksum(pairs).Should().Be(checksum);
    }

    [Fact]
    public void The_first_pairs_are_scipys()
    {
        ScipyKdTreePairs.QueryPairs(Points(150), 12.5).Take(6).Should().Equal((96, 138), (91, 96), (5, 96), (49, 96), (52, 96), (96, 143));
    }

    [Fact]
    public void Finds_every_pair_within_r_and_no_other()
    {
        var points = Points(150);
        var expected = new HashSet<(int, int)>();
        for (int i = 0; i < points.Count; i++)
            for (int j = i + 1; j < points.Count; j++)
            {
                double dx = points[i].X - points[j].X, dy = points[i].Y - points[j].Y;
                if (dx * dx + dy * dy <= 12.5 * 12.5) expected.Add((i, j));
            }
        ScipyKdTreePairs.QueryPairs(points, 12.5).ToHashSet().SetEquals(expected).Should().BeTrue();
    }
}

/// <summary>Expected values: CPython 3.11 (Debian 12) <c>list(tree.query_pairs(r))</c> and <c>hash((a, b))</c>.</summary>
public class PythonSetOrderTests
{
    [Theory]
    [InlineData(1, 2, 14896688948223909699UL)]
    [InlineData(0, 0, 9988604870027030631UL)]
    [InlineData(123456, 7, 11572455409360144999UL)]
    public void Tuple_hash_is_cpythons(int a, int b, ulong hash) => PythonSetOrder.TupleHash(a, b).Should().Be(hash);

    [Theory]
    [InlineData(150, 12.5, 4777400144764L)]
    [InlineData(150, 3.0, 30754475090L)]
    [InlineData(150, 80.0, 308935394706208L)]
    [InlineData(400, 1000.0, 42259637774483072L)] // 79,800 pairs: the table grows by 2× instead of 4× beyond 50,000
    public void Iterates_the_pairs_as_a_python_set_built_in_scipys_order(int n, double r, long checksum)
    {
        var pairs = ScipyKdTreePairs.QueryPairs(ScipyKdTreePairsTests.Points(n), r);
        var order = PythonSetOrder.Of(pairs);
        order.Should().HaveCount(pairs.Count);
        order.ToHashSet().SetEquals(pairs).Should().BeTrue();
        ScipyKdTreePairsTests.Checksum(order).Should().Be(checksum);
    }

    [Fact]
    public void The_first_pairs_are_pythons()
    {
        PythonSetOrder.Of(ScipyKdTreePairs.QueryPairs(ScipyKdTreePairsTests.Points(150), 12.5)).Take(6)
            .Should().Equal((28, 67), (29, 32), (0, 5), (6, 48), (11, 14), (9, 90));
    }
}
