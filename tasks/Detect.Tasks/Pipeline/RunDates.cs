using Detect.Engine.Parameters;

namespace Detect.Tasks.Pipeline;

/// <summary>The date range of a run checked before anything runs: start before end, room for a mosaic, and for a pair of them.</summary>
internal static class RunDates
{
    /// <param name="spectrogramInterval">Periods between the mosaics of a heatmap pair; null when the task makes no pairs.</param>
    public static void Validate(string family, DateOnly start, DateOnly end, int mosaicPeriod, int? spectrogramInterval)
    {
        if (end <= start)
            throw new ParameterException(
                $"{family}: --start-date {start:yyyy-MM-dd} is not before --end-date {end:yyyy-MM-dd} (the end is exclusive): " +
                "swap them, or move the end date later.");
        if (mosaicPeriod < 1) return; // the parameter's own rule reports it
        var windows = 0;
        for (var s = start; s.AddMonths(mosaicPeriod) <= end; s = s.AddMonths(mosaicPeriod)) windows++;
        var needed = (spectrogramInterval ?? 0) + 1;
        if (windows >= needed) return;
        var months = needed * mosaicPeriod;
        throw new ParameterException(
            $"{family}: {start:yyyy-MM-dd} to {end:yyyy-MM-dd} holds {windows} whole mosaic period(s) of {mosaicPeriod} month(s)" +
            (spectrogramInterval is { } interval
                ? $"; heatmaps pair mosaics {interval} period(s) apart (--spectrogram-interval), so the range needs at least {months} months"
                : $"; the range needs at least {months} month(s)") +
            $": e.g. --end-date {start.AddMonths(months):yyyy-MM-dd}, or a shorter --mosaic-period.");
    }
}
