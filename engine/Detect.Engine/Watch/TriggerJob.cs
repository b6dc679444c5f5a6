using Microsoft.Extensions.Logging;
using Detect.Engine.Storage;

namespace Detect.Engine.Watch;

/// <summary>How a claimed trigger ended: processed (result files written), interrupted (left to resume), or an error.</summary>
public sealed record TriggerOutcome(string Trigger, bool Processed, int Succeeded, int Failed, string? Error = null);

/// <summary>
/// One claimed trigger, from its processing file to its result files: reads the rows, runs them (up to the
/// watcher's limit at once, a bad row never stopping the others), writes the success and failure files, deletes
/// the processing file, releases the claim. Stopped midway (SIGTERM) it releases the claim and leaves the
/// processing file for the next watcher, which reruns its rows: completed tasks are complete, not redone.
/// </summary>
internal sealed class TriggerJob(IObjectStore triggers, RowTasks tasks, RowRunner runner, RunSlots slots, ILogger logger)
{
    public async Task<TriggerOutcome> RunAsync(TriggerClaims.Claim claim, string triggerUri, string stem, string stamp, byte[] content, CancellationToken stop)
    {
        await using (claim)
        {
            IReadOnlyList<string> header = [];
            List<RowOutcome> outcomes;
            try
            {
                var table = TriggerCsv.Read(content);
                header = table.Header;
                if (tasks.CheckHeader(table.Header) is { } problem) outcomes = WholeFile(table.Rows, problem);
                else
                {
                    logger.LogInformation("{Trigger}: {Rows} row(s) of {Task}", triggerUri, table.Rows.Count, tasks.Schema.Family);
                    var done = 0;
                    outcomes = [.. await Task.WhenAll(table.Rows.Select(row => RunRowAsync(row, header, triggerUri, table.Rows.Count, () => Interlocked.Increment(ref done), stop)))];
                }
            }
            catch (TriggerFormatException e) { outcomes = WholeFile([], e.Message); }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                logger.LogWarning("{Trigger}: stopped before its rows were done; the claim is released and another watcher resumes it", triggerUri);
                return new TriggerOutcome(triggerUri, false, 0, 0);
            }
            var ok = outcomes.Count(o => o.Succeeded);
            try
            {
                var (success, failure) = await TriggerResults.WriteAsync(triggers, stem, stamp, header, outcomes, CancellationToken.None);
                await triggers.DeleteAsync(TriggerNames.FileOf(stem, TriggerNames.Processing, stamp), CancellationToken.None);
                logger.LogInformation("{Trigger}: {Ok} row(s) succeeded, {Failed} failed: {Success}, {Failure}",
                    triggerUri, ok, outcomes.Count - ok, triggers.UriOf(success), triggers.UriOf(failure));
            }
            catch (Exception e) when (e is StoreException or IOException)
            {
                logger.LogError("{Trigger}: could not write its results ({Error}); it stays in processing for the next watcher", triggerUri, e.Message);
                return new TriggerOutcome(triggerUri, false, ok, outcomes.Count - ok, e.Message);
            }
            return new TriggerOutcome(triggerUri, true, ok, outcomes.Count - ok);
        }
    }

    private async Task<RowOutcome> RunRowAsync(TriggerRow row, IReadOnlyList<string> header, string triggerUri, int total, Func<int> countDone, CancellationToken stop)
    {
        await slots.EnterAsync(stop);
        RowOutcome outcome;
        try { outcome = await runner.RunAsync(tasks, header, row, triggerUri, stop); }
        finally { slots.Exit(); }
        var done = countDone();
        if (outcome.Succeeded)
            logger.LogInformation("{Trigger} row {Row} ({Done}/{Total} done): {Task} complete (run {Run})", triggerUri, row.Number, done, total, outcome.TaskId, outcome.RunId);
        else
            logger.LogWarning("{Trigger} row {Row} ({Done}/{Total} done) failed: {Reason}", triggerUri, row.Number, done, total, outcome.Reason);
        return outcome;
    }

    /// <summary>Every row fails with the file's problem; a file without rows gets one line with the reason alone.</summary>
    private static List<RowOutcome> WholeFile(IReadOnlyList<TriggerRow> rows, string reason) =>
        rows.Count == 0 ? [new RowOutcome(new TriggerRow(0, 0, []), false, null, null, reason)]
                        : rows.Select(r => new RowOutcome(r, false, null, null, reason)).ToList();
}
