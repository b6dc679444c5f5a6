using CsvHelper;
using Detect.Engine.Storage;

namespace Detect.Engine.Watch;

/// <summary>
/// The two files that replace a processed trigger: <c>&lt;stem&gt;.success-&lt;ts&gt;.csv</c>, the rows whose task is
/// complete plus its task id and history run id (<c>detect runs</c>), and <c>&lt;stem&gt;.failure-&lt;ts&gt;.csv</c>, the
/// rows that failed plus the run id (if one ran) and the reason. Both are always written (a header alone: none),
/// RFC 4180 CSV, each appearing whole (one PUT).
/// </summary>
public static class TriggerResults
{
    public const string TaskColumn = "detect_task", RunColumn = "detect_run", ReasonColumn = "reason";

    public static async Task<(string Success, string Failure)> WriteAsync(IObjectStore store, string stem, string stamp,
        IReadOnlyList<string> header, IReadOnlyList<RowOutcome> outcomes, CancellationToken ct)
    {
        var success = TriggerNames.FileOf(stem, TriggerNames.Success, stamp);
        var failure = TriggerNames.FileOf(stem, TriggerNames.Failure, stamp);
        await PublishAsync(store, success, [.. header, TaskColumn, RunColumn],
            outcomes.Where(o => o.Succeeded).Select(o => (string[])[.. o.Row.Cells, o.TaskId ?? "", o.RunId ?? ""]), ct);
        await PublishAsync(store, failure, [.. header, RunColumn, ReasonColumn],
            outcomes.Where(o => !o.Succeeded).Select(o => (string[])[.. Pad(o.Row.Cells, header.Count), o.RunId ?? "", o.Reason ?? ""]), ct);
        return (success, failure);
    }

    /// <summary>Whole-file failures (an unreadable file has no rows to echo) carry as many cells as the header.</summary>
    private static IEnumerable<string> Pad(IReadOnlyList<string> cells, int count) => cells.Concat(Enumerable.Repeat("", Math.Max(0, count - cells.Count))).Take(count);

    private static async Task PublishAsync(IObjectStore store, string key, string[] header, IEnumerable<string[]> rows, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        using (var csv = CsvWriter.Create(buffer, new CsvWriterOptions { NewLine = "\n" }, leaveOpen: true))
        {
            csv.WriteHeader(header);
            foreach (var row in rows) csv.WriteRecord(row);
        }
        await StoreBytes.WriteAsync(store, key, buffer.GetBuffer().AsMemory(0, (int)buffer.Length), ct);
    }
}
