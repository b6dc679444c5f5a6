using Quickenshtein;

namespace Detect.Engine.Cli;

/// <summary>"Did you mean …?" for a mistyped name: the known name at the smallest Levenshtein distance, if it is close.</summary>
public static class Suggestions
{
    public static string? Closest(string name, IEnumerable<string> known)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known)
        {
            var d = Levenshtein.GetDistance(name.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (d < bestDistance) (best, bestDistance) = (candidate, d);
        }
        // Close means at most a third of the name changed ("wrokers" → "workers" is 2 edits), never a different word.
        return best is not null && bestDistance > 0 && bestDistance <= Math.Max(1, name.Length / 3) ? best : null;
    }
}
