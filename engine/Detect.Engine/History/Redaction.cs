using System.Text.RegularExpressions;

namespace Detect.Engine.History;

/// <summary>
/// Removes what may be a secret from text that goes into run records, notifications and pages: the password of
/// a URL (<c>https://user:pass@host</c>), query values named like a secret (<c>?token=…</c>), the value after an
/// option named like one (<c>--api-token x</c>, <c>--password=x</c>), and AWS-style keys.
/// </summary>
public static partial class Redaction
{
    public const string Mask = "***";

    /// <summary>A command line with secret-looking values masked.</summary>
    public static List<string> Command(IReadOnlyList<string> args)
    {
        var result = new List<string>(args.Count);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg.StartsWith("--", StringComparison.Ordinal) && SecretName().IsMatch(arg.Split('=', 2)[0]))
            {
                if (arg.Contains('=')) { result.Add(arg.Split('=', 2)[0] + "=" + Mask); continue; }
                result.Add(arg);
                if (i + 1 < args.Count) { result.Add(Mask); i++; }
                continue;
            }
            result.Add(Text(arg));
        }
        return result;
    }

    /// <summary>Masks URL passwords, secret query values and AWS-looking keys inside <paramref name="text"/>.</summary>
    public static string Text(string text)
    {
        if (text.Length == 0) return text;
        var masked = UrlPassword().Replace(text, m => m.Groups[1].Value + Mask + "@");
        masked = SecretQuery().Replace(masked, m => m.Groups[1].Value + Mask);
        return AwsKey().Replace(masked, Mask);
    }

    [GeneratedRegex(@"(token|secret|password|passwd|credential|api-?key|access-?key)", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    [GeneratedRegex(@"(\b[a-z][a-z0-9+.-]*://[^/\s:@]*:)[^/\s@]+@", RegexOptions.IgnoreCase)]
    private static partial Regex UrlPassword();

    [GeneratedRegex(@"([?&][^=&\s]*(?:token|secret|password|sig|signature|key|credential)[^=&\s]*=)[^&\s]+", RegexOptions.IgnoreCase)]
    private static partial Regex SecretQuery();

    [GeneratedRegex(@"\b(AKIA|ASIA)[A-Z0-9]{16}\b")]
    private static partial Regex AwsKey();
}
