using Detect.Tasks.Analysis.Blobs;

namespace Detect.Tasks.Tests.Analysis.Blobs;

public class BlobPruningTests
{
    [Fact]
    public void Disc_overlap_fraction_matches_the_analytic_lens_area()
    {
        // Equal discs of radius 1 with centres 1 apart: lens area = 2·acos(1/2) − √3/2.
        double expected = (2 * Math.Acos(0.5) - Math.Sqrt(3) / 2) / Math.PI;
        double sigma = 5, radius = sigma * Math.Sqrt(2);
        BlobPruning.OverlapFraction(0, 0, sigma, 0, radius, sigma).Should().BeApproximately(expected, 1e-12);
        BlobPruning.OverlapFraction(0, 0, sigma, 0, 2.01 * radius, sigma).Should().Be(0);
        BlobPruning.OverlapFraction(0, 0, 10, 1, 1, 2).Should().Be(1);
        BlobPruning.OverlapFraction(3, 4, 0, 3, 4, 0).Should().Be(0);
    }

    [Fact]
    public void Of_two_overlapping_blobs_the_smaller_goes_and_of_equal_ones_the_first()
    {
        BlobPruning.Prune([new Blob(10, 10, 3.5), new Blob(11, 10, 14.2)], 0.5).Should().Equal(new Blob(11, 10, 14.2));
        BlobPruning.Prune([new Blob(10, 10, 14.2), new Blob(11, 10, 14.2)], 0.5).Should().Equal(new Blob(11, 10, 14.2));
        BlobPruning.Prune([new Blob(10, 10, 14.2), new Blob(100, 10, 14.2)], 0.5).Should().HaveCount(2);
    }

    [Fact]
    public void A_dropped_blob_drops_nothing_more_so_the_pair_order_decides_a_chain()
    {
        // a (σ 24.9) overlaps b (σ 14.2) enough to drop it, b overlaps c (σ 3.5) enough, a does not overlap c
        Blob a = new(100, 100, 24.944444444444443), b = new(100, 130, 14.222222222222221), c = new(100, 145, 3.5);
        BlobPruning.OverlapFraction(a.Row, a.Col, a.Sigma, b.Row, b.Col, b.Sigma).Should().BeGreaterThan(0.5);
        BlobPruning.OverlapFraction(b.Row, b.Col, b.Sigma, c.Row, c.Col, c.Sigma).Should().BeGreaterThan(0.5);
        BlobPruning.OverlapFraction(a.Row, a.Col, a.Sigma, c.Row, c.Col, c.Sigma).Should().BeLessThan(0.5);
        Blob[] blobs = [a, b, c];
        BlobPruning.Prune(blobs, 0.5, [(0, 1), (1, 2)]).Should().Equal(a, c);
        BlobPruning.Prune(blobs, 0.5, [(1, 2), (0, 1)]).Should().Equal(a);
    }
}
