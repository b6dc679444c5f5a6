namespace Detect.Tasks.Inference;

internal static class ClassScores
{
    /// <summary>scores[i] = probabilities[i * width + classIndex].</summary>
    public static void Extract(ReadOnlySpan<float> probabilities, int width, int classIndex, Span<float> scores)
    {
        for (int i = 0, j = classIndex; i < scores.Length; i++, j += width) scores[i] = probabilities[j];
    }
}
