using System.Globalization;

namespace Detect.Tasks.Imagery;

/// <summary>
/// The radiometric offset of Sentinel-2 processing baseline 04.00 and later (ESA: "L1C_TOA = (DN + RADIO_ADD_OFFSET)
/// / QUANTIFICATION_VALUE" with RADIO_ADD_OFFSET = −1000, QUANTIFICATION_VALUE = 10000; DN 0 stays nodata).
/// Decided by the baseline, never by the acquisition date: Collection-1 reprocessings of 2015–2021 scenes carry it too.
/// </summary>
public static class ProcessingBaseline
{
    public const int Offset = 1000;
    public const string FirstWithOffset = "04.00";

    /// <summary>
    /// The DN offset of a scene: 1000 when the baseline is ≥ 04.00 ("NN.NN" compares lexically, as stactools
    /// does); without a baseline, what the assets' raster metadata state; else 0.
    /// </summary>
    public static int OffsetDn(string? baseline, int? rasterOffsetDn = null)
    {
        if (Normalize(baseline) is { } b) return string.CompareOrdinal(b, FirstWithOffset) >= 0 ? Offset : 0;
        return rasterOffsetDn ?? 0;
    }

    /// <summary>"5.1" / "05.10" / "N0510" → "05.10"; null when it is not a baseline.</summary>
    public static string? Normalize(string? baseline)
    {
        if (string.IsNullOrWhiteSpace(baseline)) return null;
        var text = baseline.Trim();
        if (text.Length == 5 && text[0] is 'N' or 'n' && text[1..].All(char.IsAsciiDigit)) return $"{text[1..3]}.{text[3..]}";
        var parts = text.Split('.');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
            return $"{major:00}.{minor:00}";
        return null;
    }

    /// <summary>
    /// Removes the offset from source DNs in place (before any resampling). 0 (nodata) stays 0. DNs 1 … offset mean a reflectance
    /// ≤ 0, which only noise over very dark targets (deep water, shadow) produces: they become 1, the darkest
    /// valid DN, so those pixels stay observations (as they were before 04.00, where such noise read as small
    /// positive DNs) instead of turning into nodata holes.
    /// </summary>
    public static void Remove(Span<ushort> dns, int offset)
    {
        if (offset <= 0) return;
        for (var i = 0; i < dns.Length; i++)
        {
            var v = dns[i];
            if (v == 0) continue;
            dns[i] = v <= offset ? (ushort)1 : (ushort)(v - offset);
        }
    }
}
