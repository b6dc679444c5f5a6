using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Detect.Engine.Watch;

/// <summary>
/// Which keys under the watched prefix are triggers, and the names of the files a trigger becomes:
/// <c>&lt;stem&gt;.processing-&lt;ts&gt;.csv</c> while it runs, then <c>&lt;stem&gt;.success-&lt;ts&gt;.csv</c> and
/// <c>&lt;stem&gt;.failure-&lt;ts&gt;.csv</c>, where the stem is the trigger's name without <c>.csv</c> and ts the UTC time
/// of the claim (<c>20261201T143000.123Z</c>). All three share the claim's ts, so a watcher that resumes a claim
/// knows whether its results were already written.
/// </summary>
public sealed partial class TriggerNames
{
    public const string Processing = "processing", Success = "success", Failure = "failure";
    private const string StampFormat = "yyyyMMdd'T'HHmmss'.'fff'Z'";
    private readonly Regex _pattern;

    /// <param name="pattern">A glob over keys relative to the prefix: <c>*</c> any characters but '/', <c>?</c> one.</param>
    public TriggerNames(string pattern)
    {
        Pattern = pattern;
        var regex = new StringBuilder("^");
        foreach (var c in pattern)
            regex.Append(c switch { '*' => "[^/]*", '?' => "[^/]", _ => Regex.Escape(c.ToString()) });
        _pattern = new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant);
    }

    public string Pattern { get; }

    /// <summary>A trigger waiting to be claimed: matches the pattern and is none of the files triggers become.</summary>
    public bool IsTrigger(string key) =>
        !key.StartsWith(TriggerClaims.Prefix, StringComparison.Ordinal) && Derived(key) is null && _pattern.IsMatch(key);

    public static string StemOf(string triggerKey) =>
        triggerKey.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? triggerKey[..^4] : triggerKey;

    /// <summary>The trigger's original key, as far as its stem tells (stems of triggers not named *.csv are the whole name).</summary>
    public string TriggerKeyOf(string stem) => _pattern.IsMatch(stem + ".csv") || !_pattern.IsMatch(stem) ? stem + ".csv" : stem;

    public static string FileOf(string stem, string kind, string stamp) => $"{stem}.{kind}-{stamp}.csv";

    public static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString(StampFormat, CultureInfo.InvariantCulture);

    /// <summary>The stem, kind (processing, success, failure) and stamp of a file a trigger became; null for other keys.</summary>
    public static (string Stem, string Kind, string Stamp)? Derived(string key)
    {
        var m = DerivedName().Match(key);
        return m.Success ? (m.Groups["stem"].Value, m.Groups["kind"].Value, m.Groups["stamp"].Value) : null;
    }

    [GeneratedRegex(@"^(?<stem>.+)\.(?<kind>processing|success|failure)-(?<stamp>\d{8}T\d{6}\.\d{3}Z)\.csv$", RegexOptions.CultureInvariant)]
    private static partial Regex DerivedName();
}
