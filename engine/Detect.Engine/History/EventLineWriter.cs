using System.Buffers;
using System.Text.Json;
using Detect.Engine.Scheduling.Events;

namespace Detect.Engine.History;

/// <summary>
/// Writes events as lines of the event log straight to UTF-8 — the same fields <see cref="EventLine"/> reads,
/// without making an <see cref="EventLine"/> or a string per event (every task makes a few events; the log must
/// cost a run almost nothing). Planned and already-complete tasks and task log lines are not kept here.
/// </summary>
internal static class EventLineWriter
{
    private static readonly JsonEncodedText T = JsonEncodedText.Encode("t"), E = JsonEncodedText.Encode("e"), Task = JsonEncodedText.Encode("task"),
        Family = JsonEncodedText.Encode("family"), Attempt = JsonEncodedText.Encode("attempt"), Seconds = JsonEncodedText.Encode("seconds"),
        Delay = JsonEncodedText.Encode("delay"), Error = JsonEncodedText.Encode("error"), Done = JsonEncodedText.Encode("done"),
        Total = JsonEncodedText.Encode("total"), Unit = JsonEncodedText.Encode("unit"), Holder = JsonEncodedText.Encode("holder"),
        HolderHost = JsonEncodedText.Encode("holderHost"), HolderPid = JsonEncodedText.Encode("holderPid"), HolderRun = JsonEncodedText.Encode("holderRun"),
        Dependency = JsonEncodedText.Encode("dependency"), Outcome = JsonEncodedText.Encode("outcome");

    /// <summary>Appends the event's line (and a newline) to <paramref name="output"/>; false when the log does not keep it.</summary>
    public static bool TryWrite(Utf8JsonWriter json, IBufferWriter<byte> output, SchedulerEvent e)
    {
        if (!Kept(e)) return false;
        json.Reset(output);
        json.WriteStartObject();
        Span<byte> time = stackalloc byte[32];
        json.WriteString(T, FormatTime(e.Time, time));
        json.WriteString(E, e.Kind);
        switch (e)
        {
            case RunStarted s:
                json.WriteString(Task, s.RootTaskId); json.WriteString(Family, s.RootFamily); json.WriteNumber(Total, s.ToRun);
                break;
            case RunFinished f:
                json.WriteString(Task, f.Summary.RootTaskId); json.WriteNumber(Seconds, f.Duration.TotalSeconds);
                json.WriteString(Outcome, f.Interrupted ? RunRecord.Interrupted : f.Summary.RootComplete ? RunRecord.Succeeded : RunRecord.Failed);
                break;
            case TaskEvent t:
                json.WriteString(Task, t.TaskId);
                json.WriteString(Family, t.Family);
                WriteTaskFields(json, t);
                break;
        }
        json.WriteEndObject();
        json.Flush();
        output.GetSpan(1)[0] = (byte)'\n';
        output.Advance(1);
        return true;
    }

    private static bool Kept(SchedulerEvent e) => e switch
    {
        TaskScheduled { Planned: true } or TaskAlreadyComplete { Planned: true } or TaskLogged => false,
        _ => true,
    };

    private static void WriteTaskFields(Utf8JsonWriter json, TaskEvent e)
    {
        switch (e)
        {
            case TaskWaitingForLease w:
                json.WriteString(Holder, w.Holder.Owner);
                if (w.Holder.Host is { } host) json.WriteString(HolderHost, host);
                if (w.Holder.Pid is { } pid) json.WriteNumber(HolderPid, pid);
                if (w.Holder.RunId is { } run) json.WriteString(HolderRun, run);
                break;
            case TaskStarted s: json.WriteNumber(Attempt, s.Attempt); break;
            case TaskProgress p: json.WriteNumber(Done, p.Done); json.WriteNumber(Total, p.Total); json.WriteString(Unit, p.Unit); break;
            case TaskRetrying r: json.WriteNumber(Attempt, r.Attempt); json.WriteNumber(Delay, r.Delay.TotalSeconds); json.WriteString(Error, r.Error); break;
            case TaskSucceeded s: json.WriteNumber(Seconds, Math.Round(s.Duration.TotalSeconds, 4)); json.WriteNumber(Attempt, s.Attempts); break;
            case TaskFailed f:
                json.WriteString(Error, f.Error); json.WriteNumber(Attempt, f.Attempts); json.WriteNumber(Seconds, Math.Round(f.Duration.TotalSeconds, 4));
                break;
            case TaskUpstreamFailed u: json.WriteString(Dependency, u.FailedDependency); break;
            case TaskNotRun n: json.WriteString(Error, n.Reason); break;
        }
    }

    /// <summary>
    /// UTC, milliseconds: <c>2026-12-01T10:44:58.838Z</c> (as <see cref="UtcTimeConverter"/> writes it: its custom format
    /// "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", digit by digit here — a format string is parsed on every call, and every event has
    /// a time). Milliseconds are truncated, as "fff" does.
    /// </summary>
    internal static ReadOnlySpan<byte> FormatTime(DateTimeOffset time, Span<byte> buffer)
    {
        var utc = time.UtcDateTime;
        ReadOnlySpan<int> parts = [utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, utc.Second, utc.Millisecond];
        ReadOnlySpan<byte> widths = [4, 2, 2, 2, 2, 2, 3];
        var after = "--T::.Z"u8; // what follows each part
        var at = 0;
        for (var i = 0; i < parts.Length; i++)
        {
            Digits(buffer.Slice(at, widths[i]), parts[i]);
            at += widths[i];
            buffer[at++] = after[i];
        }
        return buffer[..at];
    }

    /// <summary>Writes <paramref name="value"/> in decimal, zero-padded to the span's length.</summary>
    private static void Digits(Span<byte> into, int value)
    {
        for (var i = into.Length - 1; i >= 0; i--, value /= 10) into[i] = (byte)('0' + value % 10);
    }
}
