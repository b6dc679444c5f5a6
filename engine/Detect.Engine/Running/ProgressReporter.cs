using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Detect.Engine;

/// <summary>
/// Progress of one task: done / total, rate and ETA. On a terminal it redraws one live line on stderr;
/// otherwise it logs a line at most every <c>logInterval</c>, plus one at the end.
/// </summary>
public sealed class ProgressReporter : IDisposable
{
    private readonly string _label;
    private readonly string _unit;
    private readonly ProgressSink _sink;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Action<long, long, string>? _report;
    private long _done;
    private long _lastEmitTicks = long.MinValue;
    private long _lastReportTicks = long.MinValue;

    /// <param name="report">Called with (done, total, unit) at most once a second and at the end: the scheduler's progress events.</param>
    /// <param name="announce">Emit a line at the first advance (false for a run's own progress: its first task says nothing).</param>
    internal ProgressReporter(string label, long total, string unit, ProgressSink sink, Action<long, long, string>? report = null, bool announce = true)
    {
        if (!announce) _lastEmitTicks = 0;
        _label = label;
        _total = Math.Max(total, 0);
        _unit = unit;
        _sink = sink;
        _report = report;
    }

    private long _total;
    public long Total => Interlocked.Read(ref _total);
    public long Done => Interlocked.Read(ref _done);

    /// <summary>More work than announced (a run's dynamic requirements, found as it goes).</summary>
    internal void Grow(long units = 1) => Interlocked.Add(ref _total, units);

    public void Advance(long units = 1)
    {
        Interlocked.Add(ref _done, units);
        MaybeEmit(final: false);
    }

    public void Dispose() => MaybeEmit(final: true);

    /// <summary>The status text, e.g. <c>12/100 tiles (12%), 3.2 tiles/s, ETA 00:27</c>.</summary>
    public string Describe()
    {
        var done = Done;
        var seconds = Math.Max(_clock.Elapsed.TotalSeconds, 1e-9);
        var rate = done / seconds;
        var total = Total;
        var percent = total > 0 ? 100.0 * done / total : 100.0;
        var eta = rate > 0 && total > done ? TimeSpan.FromSeconds((total - done) / rate) : TimeSpan.Zero;
        return $"{done}/{total} {_unit} ({percent:0}%), {FormatRate(rate)} {_unit}/s, ETA {eta:hh\\:mm\\:ss}";
    }

    private static string FormatRate(double rate) => rate switch
    {
        >= 1e6 => $"{rate / 1e6:0.00}M",
        >= 1e3 => $"{rate / 1e3:0.0}k",
        _ => $"{rate:0.0}",
    };

    private void MaybeEmit(bool final)
    {
        var now = _clock.ElapsedTicks;
        if (_report is not null)
        {
            var lastReport = Interlocked.Read(ref _lastReportTicks);
            if (final || lastReport == long.MinValue || now - lastReport >= Stopwatch.Frequency)
                if (final || Interlocked.CompareExchange(ref _lastReportTicks, now, lastReport) == lastReport)
                    _report(Done, Total, _unit);
        }
        var last = Interlocked.Read(ref _lastEmitTicks);
        var due = last == long.MinValue || now - last >= _sink.Interval.TotalSeconds * Stopwatch.Frequency;
        if (!final && !due) return;
        if (!final && Interlocked.CompareExchange(ref _lastEmitTicks, now, last) != last) return;
        _sink.Emit(_label, Describe(), final);
    }
}

/// <summary>Where progress goes: a live terminal line or periodic log lines.</summary>
internal sealed class ProgressSink(ILogger logger, bool liveTerminal, TimeSpan logInterval)
{
    private readonly Lock _console = new();
    public TimeSpan Interval { get; } = liveTerminal ? TimeSpan.FromMilliseconds(200) : logInterval;

    public void Emit(string label, string status, bool final)
    {
        if (liveTerminal)
        {
            lock (_console)
            {
                var line = $"{label}: {status}";
                var width = Math.Max(20, SafeWindowWidth() - 1);
                if (line.Length > width) line = line[..width];
                Console.Error.Write("\r" + line.PadRight(width) + (final ? "\n" : ""));
            }
        }
        else
        {
            logger.LogInformation("progress {Task}: {Status}", label, status);
        }
    }

    private static int SafeWindowWidth()
    {
        try { return Console.WindowWidth > 0 ? Console.WindowWidth : 120; } catch (IOException) { return 120; }
    }
}

internal sealed class ProgressReporterFactory(ProgressSink sink)
{
    public ProgressReporter Create(string label, long total, string unit, Action<long, long, string>? report = null) =>
        new(label, total, unit, sink, report);
}
