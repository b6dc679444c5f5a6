using System.Text.Json.Serialization;
using Detect.Engine.Scheduling;
using Detect.Engine.Scheduling.Events;

namespace Detect.Engine.History;

/// <summary>
/// One line of a run's event log: the event's kind (<see cref="SchedulerEvent.Kind"/>), its time, its task and
/// whatever else the kind carries. Lines are flat so that any JSON-lines tool reads them (jq, pandas, DuckDB).
/// </summary>
public sealed record EventLine
{
    [JsonPropertyName("t")] public DateTimeOffset Time { get; init; }
    [JsonPropertyName("e")] public string Kind { get; init; } = "";
    public string? Task { get; init; }
    public string? Family { get; init; }
    public int? Attempt { get; init; }
    public double? Seconds { get; init; }
    public double? Delay { get; init; }
    public string? Error { get; init; }
    public long? Done { get; init; }
    public long? Total { get; init; }
    public string? Unit { get; init; }
    public string? Holder { get; init; }
    public string? HolderHost { get; init; }
    public int? HolderPid { get; init; }
    public string? HolderRun { get; init; }
    public string? Dependency { get; init; }
    public string? Outcome { get; init; }

    /// <summary>The line for <paramref name="e"/>; null for events the log does not keep (see <see cref="RunHistoryWriter"/>).</summary>
    public static EventLine? From(SchedulerEvent e) => e switch
    {
        RunStarted s => new() { Time = s.Time, Kind = s.Kind, Task = s.RootTaskId, Family = s.RootFamily, Total = s.ToRun },
        RunFinished f => new() { Time = f.Time, Kind = f.Kind, Task = f.Summary.RootTaskId, Seconds = f.Duration.TotalSeconds,
            Outcome = f.Interrupted ? RunRecord.Interrupted : f.Summary.RootComplete ? RunRecord.Succeeded : RunRecord.Failed },
        TaskScheduled { Planned: true } => null, // counted per family in the run record
        TaskAlreadyComplete { Planned: true } => null, // likewise
        TaskAlreadyComplete c => new() { Time = c.Time, Kind = c.Kind, Task = c.TaskId, Family = c.Family },
        TaskLogged => null,                      // goes to the task's own log
        TaskScheduled t => new() { Time = t.Time, Kind = t.Kind, Task = t.TaskId, Family = t.Family },
        TaskWaitingForLease w => new() { Time = w.Time, Kind = w.Kind, Task = w.TaskId, Family = w.Family, Holder = w.Holder.Owner,
            HolderHost = w.Holder.Host, HolderPid = w.Holder.Pid, HolderRun = w.Holder.RunId },
        TaskStarted t => new() { Time = t.Time, Kind = t.Kind, Task = t.TaskId, Family = t.Family, Attempt = t.Attempt },
        TaskProgress p => new() { Time = p.Time, Kind = p.Kind, Task = p.TaskId, Family = p.Family, Done = p.Done, Total = p.Total, Unit = p.Unit },
        TaskRetrying r => new() { Time = r.Time, Kind = r.Kind, Task = r.TaskId, Family = r.Family, Attempt = r.Attempt,
            Delay = r.Delay.TotalSeconds, Error = r.Error },
        TaskSucceeded s => new() { Time = s.Time, Kind = s.Kind, Task = s.TaskId, Family = s.Family, Seconds = s.Duration.TotalSeconds, Attempt = s.Attempts },
        TaskCompletedElsewhere c => new() { Time = c.Time, Kind = c.Kind, Task = c.TaskId, Family = c.Family },
        TaskFailed f => new() { Time = f.Time, Kind = f.Kind, Task = f.TaskId, Family = f.Family, Error = f.Error, Attempt = f.Attempts,
            Seconds = f.Duration.TotalSeconds },
        TaskUpstreamFailed u => new() { Time = u.Time, Kind = u.Kind, Task = u.TaskId, Family = u.Family, Dependency = u.FailedDependency },
        TaskNotRun n => new() { Time = n.Time, Kind = n.Kind, Task = n.TaskId, Family = n.Family, Error = n.Reason },
        _ => null,
    };
}

/// <summary>Times in the history: UTC, milliseconds, <c>2026-12-01T10:44:58.838Z</c> (any ISO 8601 time is read).</summary>
public sealed class UtcTimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options) =>
        reader.GetDateTimeOffset();

    public override void Write(System.Text.Json.Utf8JsonWriter writer, DateTimeOffset value, System.Text.Json.JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(UtcTimeConverter)])]
[JsonSerializable(typeof(EventLine))]
[JsonSerializable(typeof(RunRecord))]
[JsonSerializable(typeof(TaskLine))]
internal sealed partial class HistoryJson : JsonSerializerContext;
