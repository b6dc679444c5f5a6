namespace Detect.Tasks.Mosaics;

/// <summary>A mosaic period [Start, End) in UTC dates; its id (e.g. <c>2019-01-01_2019-04-01</c>) names files.</summary>
public sealed record MosaicWindow(DateOnly Start, DateOnly End)
{
    public string Id => $"{Start:yyyy-MM-dd}_{End:yyyy-MM-dd}";

    public override string ToString() => Id;

    public bool Contains(DateOnly date) => date >= Start && date < End;

    public bool Contains(DateTimeOffset time) => Contains(DateOnly.FromDateTime(time.UtcDateTime));
}

public static class MosaicWindows
{
    /// <summary>
    /// Consecutive windows of <paramref name="periodMonths"/> months from <paramref name="start"/>, every one
    /// wholly before <paramref name="end"/> (as the original's month-start date range: a trailing partial
    /// period is not a window). 2019-01-01 … 2021-06-01 by 3 months gives 9 windows, the last 2021-01-01 … 2021-04-01.
    /// </summary>
    public static IReadOnlyList<MosaicWindow> Build(DateOnly start, DateOnly end, int periodMonths)
    {
        if (periodMonths <= 0) throw new ArgumentException($"mosaic_period must be at least 1 month, not {periodMonths}.");
        if (end <= start) throw new ArgumentException($"end_date {end:yyyy-MM-dd} must be after start_date {start:yyyy-MM-dd}.");
        var windows = new List<MosaicWindow>();
        for (var s = start; s.AddMonths(periodMonths) <= end; s = s.AddMonths(periodMonths))
            windows.Add(new MosaicWindow(s, s.AddMonths(periodMonths)));
        if (windows.Count == 0)
            throw new ArgumentException(
                $"start_date {start:yyyy-MM-dd} to end_date {end:yyyy-MM-dd} is shorter than one mosaic_period of {periodMonths} month(s): widen the dates or shorten the period.");
        return windows;
    }

    /// <summary>The pairs (earlier, later) of windows <paramref name="interval"/> periods apart, as the pixel model takes them.</summary>
    public static IReadOnlyList<(MosaicWindow First, MosaicWindow Second)> Pairs(IReadOnlyList<MosaicWindow> windows, int interval)
    {
        if (interval <= 0) throw new ArgumentException($"spectrogram_interval must be at least 1, not {interval}.");
        return Enumerable.Range(0, Math.Max(0, windows.Count - interval)).Select(i => (windows[i], windows[i + interval])).ToList();
    }
}
