using System.Text.Json.Serialization;
using Detect.Engine.Scheduling.Events;

namespace Detect.Engine.History;

/// <summary>
/// One line of a run's event log: the event's kind (<see cref="SchedulerEvent.Kind"/>), its time, its task and
/// whatever else the kind carries. Lines are flat so that any JSON-lines tool reads them (jq, pandas, DuckDB).
/// Written by <see cref="EventLineWriter"/>; planned and already-complete tasks are counted in the run record
/// instead of logged, and task log lines go to the task's own log.
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
