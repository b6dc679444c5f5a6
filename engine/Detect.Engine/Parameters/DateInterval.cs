using System.Globalization;

namespace Detect.Engine.Parameters;

/// <summary>A half-open interval of dates [Start, End), written <c>2019-01-01-2019-06-01</c>.</summary>
public readonly record struct DateInterval(DateOnly Start, DateOnly End)
{
    public const string Format = "yyyy-MM-dd-yyyy-MM-dd";

    public override string ToString() =>
        $"{Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}-{End.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";

    public static bool TryParse(string text, out DateInterval interval)
    {
        interval = default;
        if (text.Length != 21 || text[10] != '-') return false;
        if (!ParameterParsing.TryParseDate(text[..10], out var start) ||
            !ParameterParsing.TryParseDate(text[11..], out var end) || end < start) return false;
        interval = new DateInterval(start, end);
        return true;
    }
}
