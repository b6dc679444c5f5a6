using System.Globalization;
using Detect.Tasks.Analysis.Blobs;

namespace Detect.Tasks.Tests.Analysis.Blobs;

/// <summary>
/// Detect's blob list against scikit-image 0.19.3's <c>blob_doh</c> on the <see cref="BlobFixtures"/> heatmaps
/// (plateaus, edges, exact ties, pruning chains, other parameters): the same blobs, in the same order, with the same
/// values. The reference was made once by bench/blob_doh_reference.py and committed (blob_doh_reference.csv).
/// </summary>
public class BlobDohReferenceTests
{
    private static readonly Lazy<ILookup<string, Blob>> Reference = new(() =>
        File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Analysis", "Blobs", "blob_doh_reference.csv"))
            .Where(line => !line.StartsWith('#')).Skip(1)
            .Select(line => line.Split(','))
            .ToLookup(f => f[0], f => new Blob(int.Parse(f[1], CultureInfo.InvariantCulture), int.Parse(f[2], CultureInfo.InvariantCulture),
                double.Parse(f[3], CultureInfo.InvariantCulture))));

    private static readonly Lazy<Dictionary<string, BlobFixtures.Fixture>> Fixtures = new(() => BlobFixtures.All().ToDictionary(f => f.Name));

    public static TheoryData<string> Names => new(BlobFixtures.All().Select(f => f.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void Returns_exactly_skimages_blob_list(string name)
    {
        var f = Fixtures.Value[name];
        var expected = Reference.Value[name].ToList();
        expected.Should().NotBeEmpty();
        BlobDetector.Detect(f.Heatmap, f.Width, f.Height, f.Options).Should().Equal(expected);
    }

    [Theory]
    [InlineData("plateaus")]
    [InlineData("ties")]
    public void Numpys_order_of_tied_peaks_decides_which_blob_of_a_tied_pair_is_kept(string name)
    {
        // with ties in raster order (a stable sort) instead of numpy's argsort the list is not skimage's
        var f = Fixtures.Value[name];
        var peaks = BlobDetector.Peaks(f.Heatmap, f.Width, f.Height, f.Options);
        var stable = peaks.OrderBy(p => p.Row).ThenBy(p => p.Col).ThenBy(p => p.Scale).OrderByDescending(p => p.Value).ToList();
        stable.Should().NotEqual(peaks, "the fixture has tied peaks");
        BlobPruning.Prune(BlobDetector.ToBlobs(stable, f.Options), f.Options.Overlap).Should().NotEqual(Reference.Value[name]);
    }

    [Theory]
    [InlineData("sites")]
    [InlineData("low-threshold")]
    [InlineData("ties")]
    public void The_python_set_order_of_the_pairs_decides_pruning_chains(string name)
    {
        // comparing the pairs in index order instead of skimage's set order drops other blobs
        var f = Fixtures.Value[name];
        var candidates = BlobDetector.Candidates(f.Heatmap, f.Width, f.Height, f.Options);
        var pairs = BlobPairOrder.Pairs(candidates, 2 * candidates.Max(b => b.Sigma) * Math.Sqrt(2));
        var indexOrder = pairs.OrderBy(p => p.I).ThenBy(p => p.J).ToList();
        BlobPruning.Prune(candidates, f.Options.Overlap, pairs).Should().Equal(Reference.Value[name]);
        BlobPruning.Prune(candidates, f.Options.Overlap, indexOrder).Should().NotEqual(Reference.Value[name]);
    }
}
