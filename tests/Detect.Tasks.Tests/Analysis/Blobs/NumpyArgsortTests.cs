using Detect.Tasks.Analysis.Blobs;

namespace Detect.Tasks.Tests.Analysis.Blobs;

/// <summary>Expected permutations: numpy 1.24.2 (Debian 12) <c>np.argsort(keys)</c> and <c>kind='heapsort'</c>.</summary>
public class NumpyArgsortTests
{
    private static double[] Keys(string name, int n) => name switch
    {
        "a" => Enumerable.Range(0, n).Select(i => -((i * 7919) % 13) / 4.0).ToArray(),
        "b" => Enumerable.Range(0, n).Select(i => (double)(i * 31 % 5)).ToArray(),
        "c" => Enumerable.Range(0, n).Select(i => (double)(i / 7)).ToArray(),
        "c-reversed" => Enumerable.Range(0, n).Select(i => (double)((n - 1 - i) / 7)).ToArray(),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [InlineData("a", 100, "84 45 19 58 6 32 71 97 64 38 25 12 90 51 77 83 44 5 70 31 57 96 18 76 89 11 24 63 37 50 56 43 82 69 30 4 95 17 49 36 62 10 88 23 75 3 94 55 16 68 81 42 29 74 35 22 9 48 61 87 67 2 28 80 41 54 93 15 86 73 99 60 21 47 8 34 92 53 1 27 79 14 40 66 20 33 85 98 59 72 7 46 13 65 26 39 78 52 91 0")]
    [InlineData("b", 40, "0 30 25 5 20 15 35 10 26 21 31 16 1 36 11 6 12 27 2 37 22 17 7 32 18 23 3 8 28 33 13 38 34 19 24 14 9 4 29 39")]
    [InlineData("c", 60, "0 1 2 3 4 5 6 13 12 11 8 9 7 10 19 20 18 15 16 14 17 21 22 23 24 25 26 27 33 34 32 29 30 28 31 35 36 37 38 39 40 41 48 47 46 45 43 42 44 49 50 51 52 53 54 55 58 56 57 59")]
    [InlineData("c-reversed", 60, "59 53 54 58 56 57 55 52 51 50 49 48 47 46 39 40 41 42 45 43 44 38 37 36 35 34 33 32 30 31 29 27 26 25 28 24 23 22 21 20 19 18 11 12 13 15 16 17 14 10 9 8 7 6 5 4 3 2 1 0")]
    [InlineData("b", 16, "0 5 10 15 1 6 11 2 7 12 3 8 13 4 9 14")] // insertion sort only (stable)
    public void Orders_ties_exactly_as_numpys_default_argsort(string keys, int n, string expected)
    {
        NumpyArgsort.Argsort(Keys(keys, n)).Should().Equal(expected.Split(' ').Select(int.Parse));
    }

    [Theory]
    [InlineData("a", 100, "58 45 19 32 6 71 84 97 38 25 90 51 64 12 77 96 83 44 31 18 70 5 57 11 24 50 89 76 37 63 4 56 95 30 82 43 69 17 62 10 49 23 88 75 36 94 29 55 42 81 68 16 3 61 48 22 87 9 74 35 28 54 2 93 41 80 67 15 60 99 47 21 86 8 73 34 14 27 53 92 40 79 1 66 59 98 46 85 20 72 33 7 13 26 52 91 39 78 65 0")]
    [InlineData("b", 40, "25 35 5 15 0 10 20 30 26 1 31 21 11 6 36 16 27 12 2 22 37 17 7 32 28 13 23 38 18 8 33 3 29 14 24 39 19 9 4 34")]
    public void Its_heapsort_fallback_orders_ties_as_numpys_heapsort(string keys, int n, string expected)
    {
        var order = Enumerable.Range(0, n).ToArray();
        NumpyArgsort.HeapSort(Keys(keys, n), order, 0, n);
        order.Should().Equal(expected.Split(' ').Select(int.Parse));
    }

    [Fact]
    public void Sorts_large_inputs_and_is_not_stable()
    {
        var keys = Enumerable.Range(0, 5000).Select(i => (double)(i * 7 % 23)).ToArray();
        var order = NumpyArgsort.Argsort(keys);
        order.Should().OnlyHaveUniqueItems().And.HaveCount(5000);
        order.Select(i => keys[i]).Should().BeInAscendingOrder();
        order.Should().NotEqual(Enumerable.Range(0, 5000).OrderBy(i => keys[i]), "ties are not kept in index order");
    }
}
