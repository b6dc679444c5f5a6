namespace Detect.Engine.History;

/// <summary>
/// Where a run's history lives in the store (beside the leases, under <c>.detect/</c>):
/// <code>
/// .detect/runs/&lt;run id&gt;.json                     the run record (rewritten while the run goes on: its heartbeat)
/// .detect/run-data/&lt;run id&gt;/events/000001.jsonl  the event log, JSON lines, in numbered chunks (S3 has no append)
/// .detect/run-data/&lt;run id&gt;/tasks.jsonl          what each task the run handled did (written at the end)
/// .detect/run-data/&lt;run id&gt;/logs/&lt;task id&gt;.log   what a task logged
/// </code>
/// Run records sit alone in their folder, so listing runs is one listing of small objects.
/// </summary>
public static class RunHistoryLayout
{
    public const string RecordsPrefix = ".detect/runs/";
    public const string DataPrefix = ".detect/run-data/";

    public static string RecordKey(string runId) => RecordsPrefix + runId + ".json";
    public static string EventsPrefix(string runId) => DataPrefix + runId + "/events/";
    public static string ChunkKey(string runId, int sequence) => EventsPrefix(runId) + sequence.ToString("D6") + ".jsonl";
    public static string TasksKey(string runId) => DataPrefix + runId + "/tasks.jsonl";
    public static string LogKey(string runId, string taskId) => DataPrefix + runId + "/logs/" + taskId + ".log";

    /// <summary>The run id of a record key, or null for another key.</summary>
    public static string? RunIdOfRecord(string key) =>
        key.StartsWith(RecordsPrefix, StringComparison.Ordinal) && key.EndsWith(".json", StringComparison.Ordinal)
            && key.IndexOf('/', RecordsPrefix.Length) < 0
            ? key[RecordsPrefix.Length..^".json".Length]
            : null;

    /// <summary>The sequence number of a chunk key, or -1.</summary>
    public static int SequenceOfChunk(string key)
    {
        var name = key[(key.LastIndexOf('/') + 1)..];
        return name.EndsWith(".jsonl", StringComparison.Ordinal) && int.TryParse(name[..^".jsonl".Length], out var n) ? n : -1;
    }
}
