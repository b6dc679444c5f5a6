namespace Detect.Engine.Scheduling;

/// <summary>
/// Run ids: ULIDs (26 characters, Crockford base32), which sort by start time — the key of a run's history.
/// Not to be confused with a workflow's own run parameters (e.g. Detect's <c>--run-id</c>).
/// </summary>
public static class RunIds
{
    public static string New(TimeProvider time) => Ulid.NewUlid(time.GetUtcNow()).ToString();

    /// <summary>True for a well-formed run id (guards store keys built from user input).</summary>
    public static bool IsValid(string text) => text.Length == 26 && Ulid.TryParse(text, out _);
}
