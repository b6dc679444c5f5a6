using System.Text;
using System.Text.Json;
using Detect.Engine.Scheduling;
using Detect.Engine.Storage;

namespace Detect.Engine.History;

/// <summary>
/// Reads run histories from a store (<see cref="RunHistoryLayout"/>), also while the runs go on: the list of
/// runs, a run's record, its event log chunk by chunk, its task outcomes and its tasks' logs.
/// </summary>
public sealed class RunHistory(IObjectStore store)
{
    public IObjectStore Store => store;

    /// <summary>The run ids in the store, newest first (run ids are ULIDs: they sort by start time).</summary>
    public async Task<IReadOnlyList<string>> RunIdsAsync(CancellationToken ct = default) =>
        (await store.ListAsync(RunHistoryLayout.RecordsPrefix, ct))
            .Select(RunHistoryLayout.RunIdOfRecord).OfType<string>().Where(RunIds.IsValid)
            .OrderByDescending(id => id, StringComparer.Ordinal).ToList();

    /// <summary>The newest <paramref name="limit"/> run records (unreadable ones left out).</summary>
    public async Task<IReadOnlyList<RunRecord>> ListAsync(int limit = 50, CancellationToken ct = default)
    {
        var ids = (await RunIdsAsync(ct)).Take(limit).ToList();
        var records = new RunRecord?[ids.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, ids.Count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct },
            async (i, token) => records[i] = await ReadRecordAsync(ids[i], token));
        return records.OfType<RunRecord>().ToList();
    }

    /// <summary>The run's record, or null when there is none (or it cannot be read).</summary>
    public async Task<RunRecord?> ReadRecordAsync(string runId, CancellationToken ct = default)
    {
        if (!RunIds.IsValid(runId)) return null;
        try
        {
            var bytes = await ReadBytesAsync(RunHistoryLayout.RecordKey(runId), ct);
            return JsonSerializer.Deserialize(bytes, HistoryJson.Default.RunRecord);
        }
        catch (Exception e) when (e is ObjectNotFoundException or JsonException) { return null; }
    }

    /// <summary>
    /// The events of chunks after <paramref name="afterChunk"/>, in order, and the last chunk read. From the start
    /// the chunks are found by one listing; after that by asking for the next numbers until one is missing, so
    /// following a long run costs a request per new chunk, not a listing of all of them.
    /// </summary>
    public async Task<(IReadOnlyList<EventLine> Events, int LastChunk)> ReadEventsAsync(string runId, int afterChunk = 0, CancellationToken ct = default)
    {
        var last = afterChunk;
        var contents = new List<byte[]>();
        if (afterChunk == 0)
        {
            var chunks = (await store.ListAsync(RunHistoryLayout.EventsPrefix(runId), ct))
                .Select(k => (Key: k, Sequence: RunHistoryLayout.SequenceOfChunk(k))).Where(c => c.Sequence > 0).OrderBy(c => c.Sequence).ToList();
            foreach (var (key, sequence) in chunks)
            {
                if (sequence != last + 1) break; // a gap: the next chunk is not written yet
                try { contents.Add(await ReadBytesAsync(key, ct)); }
                catch (ObjectNotFoundException) { break; }
                last = sequence;
            }
        }
        while (true)
        {
            try { contents.Add(await ReadBytesAsync(RunHistoryLayout.ChunkKey(runId, last + 1), ct)); }
            catch (ObjectNotFoundException) { break; }
            last++;
        }
        // Chunks parse independently: in parallel, then in order (a long run's log is tens of MB).
        var parsed = new List<EventLine>[contents.Count];
        Parallel.For(0, contents.Count, new ParallelOptions { CancellationToken = ct }, i => parsed[i] = ParseLines(contents[i]).ToList());
        var events = new List<EventLine>(parsed.Sum(p => p.Count));
        foreach (var chunk in parsed) events.AddRange(chunk);
        return (events, last);
    }

    /// <summary>What each task the run handled did (empty until the run ended).</summary>
    public async Task<IReadOnlyList<TaskLine>> ReadTasksAsync(string runId, CancellationToken ct = default)
    {
        try
        {
            var text = Encoding.UTF8.GetString(await ReadBytesAsync(RunHistoryLayout.TasksKey(runId), ct));
            return text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => JsonSerializer.Deserialize(line, HistoryJson.Default.TaskLine)).OfType<TaskLine>().ToList();
        }
        catch (ObjectNotFoundException) { return []; }
    }

    /// <summary>The last <paramref name="maxBytes"/> of what a task logged in the run ("" when it logged nothing).</summary>
    public async Task<string> ReadLogTailAsync(string runId, string taskId, int maxBytes = 16 * 1024, CancellationToken ct = default)
    {
        try
        {
            var bytes = await ReadBytesAsync(RunHistoryLayout.LogKey(runId, taskId), ct);
            var start = Math.Max(0, bytes.Length - maxBytes);
            while (start > 0 && start < bytes.Length && (bytes[start] & 0xC0) == 0x80) start++; // not inside a UTF-8 character
            return Encoding.UTF8.GetString(bytes, start, bytes.Length - start);
        }
        catch (Exception e) when (e is ObjectNotFoundException or ArgumentException) { return ""; }
    }

    private static IEnumerable<EventLine> ParseLines(byte[] bytes)
    {
        var start = 0;
        while (start < bytes.Length)
        {
            var end = Array.IndexOf(bytes, (byte)'\n', start);
            if (end < 0) end = bytes.Length;
            if (end > start)
            {
                EventLine? line = null;
                try { line = JsonSerializer.Deserialize(bytes.AsSpan(start, end - start), HistoryJson.Default.EventLine); }
                catch (JsonException) { } // a line of a newer version, or damaged: skip it
                if (line is not null) yield return line;
            }
            start = end + 1;
        }
    }

    private async Task<byte[]> ReadBytesAsync(string key, CancellationToken ct)
    {
        await using var stream = await store.OpenReadAsync(key, ct);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }
}
