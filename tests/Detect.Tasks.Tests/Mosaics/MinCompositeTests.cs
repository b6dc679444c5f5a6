using Detect.Tasks.Mosaics;

namespace Detect.Tasks.Tests.Mosaics;

/// <summary><see cref="MinComposite"/>: the vectorised min step writes what the per-pixel rule writes, bit for bit.</summary>
public sealed class MinCompositeTests
{
    private static readonly byte[] States = [PixelState.NoData, PixelState.Clear, PixelState.Hidden];

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(1_000_003)] // not a multiple of 16: the scalar tail runs too
    public void Several_acquisitions_give_the_per_pixel_rules_counts_and_minimum(int n)
    {
        var random = new Random(n);
        var kept = Enumerable.Repeat(float.NaN, n).ToArray();
        var expected = (float[])kept.Clone();
        var observations = new ushort[n];
        var expectedObservations = new ushort[n];
        for (var acquisition = 0; acquisition < 5; acquisition++)
        {
            // Runs of one state (as clouds come in patches) and single pixels, so whole blocks of 16 are skipped too.
            var state = new byte[n];
            for (var i = 0; i < n; i += random.Next(1, 40))
                state.AsSpan(i, Math.Min(n - i, random.Next(1, 40))).Fill(States[random.Next(3)]);
            var values = Enumerable.Range(0, n).Select(_ => (ushort)(random.Next(4) == 0 ? random.Next(2) * 65535 : random.Next(65536))).ToArray();

            MinComposite.CountClear(observations, state);
            MinComposite.TakeMin(kept, values, state);

            for (var i = 0; i < n; i++)
            {
                if (state[i] != PixelState.Clear) continue;
                expectedObservations[i]++;
                if (float.IsNaN(expected[i]) || values[i] < expected[i]) expected[i] = values[i];
            }
        }

        observations.Should().Equal(expectedObservations);
        kept.Select(BitConverter.SingleToInt32Bits).Should().Equal(expected.Select(BitConverter.SingleToInt32Bits));
        if (n > 1000) kept.Should().Contain(float.NaN, "pixels never clear stay without a value").And.Contain(0f).And.Contain(65535f);
    }

    [Fact]
    public void Only_clear_pixels_are_counted_and_taken()
    {
        var state = Enumerable.Range(0, 32).Select(i => i % 3 == 0 ? PixelState.Clear : PixelState.Hidden).ToArray();
        var kept = Enumerable.Repeat(100f, 32).ToArray();
        var observations = new ushort[32];

        MinComposite.CountClear(observations, state);
        MinComposite.TakeMin(kept, Enumerable.Repeat((ushort)7, 32).ToArray(), state);

        for (var i = 0; i < 32; i++)
        {
            kept[i].Should().Be(i % 3 == 0 ? 7f : 100f);
            observations[i].Should().Be((ushort)(i % 3 == 0 ? 1 : 0));
        }
    }
}
