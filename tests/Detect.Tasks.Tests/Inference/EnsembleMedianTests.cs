using Detect.Tasks.Inference;

namespace Detect.Tasks.Tests.Inference;

public sealed class EnsembleMedianTests
{
    [Theory]
    [InlineData(new[] { 0.9f, 0.1f, 0.5f, 0.2f, 0.8f, 0.3f }, 0.4f)] // even: mean of the middle two, as numpy
    [InlineData(new[] { 0.9f, 0.1f, 0.5f }, 0.5f)]
    [InlineData(new[] { 0.7f }, 0.7f)]
    public void Median_matches_numpy(float[] values, float expected) =>
        EnsembleModel.Median(values.ToArray()).Should().BeApproximately(expected, 1e-7f);
}
