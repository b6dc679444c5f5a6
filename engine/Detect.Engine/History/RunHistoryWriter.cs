using System.Collections.Concurrent;
using Detect.Engine.Scheduling.Events;
using Detect.Engine.Storage;
using Microsoft.Extensions.Logging;

namespace Detect.Engine.History;

/// <summary>
/// Writes each run's history into the store while it runs (<see cref="RunHistoryLayout"/>): the run record at
/// the start, every <see cref="RunHistoryOptions.Heartbeat"/> and at the end; the event log in a new chunk every
/// <see cref="RunHistoryOptions.FlushInterval"/> (JSON lines; each chunk appears whole, so other processes read it
/// while the run goes on); each task's log; at the end, what every task the run handled did.
/// The scheduler's threads only queue events; writing happens on a timer. A store that fails is retried at the
/// next flush and never fails the run. Planned and already-complete tasks are counted in the record rather than
/// logged one by one (a run of 100,000 complete tasks writes a few lines, not 100,000).
/// </summary>
public sealed class RunHistoryWriter : IFlushingObserver, IDisposable
{
    private readonly IObjectStore _store;
    private readonly RunHistoryOptions _options;
    private readonly RunInvocation _invocation;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, RunLog> _runs = new(StringComparer.Ordinal);

    public RunHistoryWriter(IObjectStore store, RunInvocation invocation, RunHistoryOptions? options = null, TimeProvider? time = null, ILogger? logger = null)
    {
        _store = store;
        _invocation = invocation;
        _options = options ?? new RunHistoryOptions();
        _options.Validate();
        _time = time ?? TimeProvider.System;
        _logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    }

    /// <summary>The runs this writer has seen start (their ids).</summary>
    public IReadOnlyCollection<string> RunIds => _runs.Keys.ToList();

    public void OnEvent(SchedulerEvent e)
    {
        if (e is RunStarted started)
        {
            var log = new RunLog(this, started);
            if (_runs.TryAdd(started.RunId, log)) log.Start();
            return;
        }
        if (_runs.TryGetValue(e.RunId, out var run)) run.Add(e);
    }

    public async Task FlushAsync(string runId, CancellationToken ct)
    {
        if (_runs.TryGetValue(runId, out var run)) await run.FinishAsync(ct);
    }

    public void Dispose()
    {
        foreach (var run in _runs.Values) run.Dispose();
    }

    /// <summary>One run's history as it is being written.</summary>
    private sealed class RunLog(RunHistoryWriter writer, RunStarted started) : IDisposable
    {
        private readonly ConcurrentQueue<SchedulerEvent> _queue = new();
        private readonly SemaphoreSlim _writing = new(1, 1);
        private readonly Dictionary<string, TaskLog> _logs = new(StringComparer.Ordinal);
        private readonly List<TaskFailure> _failures = [];
        private readonly System.Buffers.ArrayBufferWriter<byte> _chunk = new(64 * 1024);
        private System.Text.Json.Utf8JsonWriter? _json;
        private RunRecord _record = null!;
        private RunFinished? _finished;
        private ITimer? _timer;
        private int _sequence;
        private int _ran, _elsewhere, _failed, _upstream, _notRun;
        private DateTimeOffset _lastRecord = DateTimeOffset.MinValue;
        private bool _warned;
        private bool _done;

        private IObjectStore Store => writer._store;
        private string Id => started.RunId;

        public void Start()
        {
            _record = new RunRecord
            {
                Id = Id,
                RootTask = started.RootTaskId,
                RootFamily = started.RootFamily,
                Parameters = started.RootParameters.ToDictionary(p => p.Key, p => Redaction.Text(p.Value), StringComparer.Ordinal),
                Host = writer._invocation.Host,
                Pid = writer._invocation.Pid,
                User = writer._invocation.User,
                Command = [.. writer._invocation.Command],
                Store = writer._invocation.StoreUri,
                Started = started.Time,
                Updated = started.Time,
                // Three missed heartbeats (plus a flush, the record is written on the flush timer): surely gone.
                StaleAfterSeconds = 3 * writer._options.Heartbeat.TotalSeconds + writer._options.FlushInterval.TotalSeconds,
                Tasks = started.Tasks,
                ToRun = started.ToRun,
                Families = started.Families.Select(f => new FamilyCounts(f.Family, f.Tasks, f.ToRun)).ToList(),
                Edges = started.Edges.Select(e => new[] { e.From, e.To }).ToList(),
                Trigger = RunTrigger.Current, // RunStarted is published on the flow that started the run
            };
            _queue.Enqueue(started);
            var period = TimeSpan.FromTicks(Math.Min(writer._options.FlushInterval.Ticks, writer._options.Heartbeat.Ticks));
            _timer = writer._time.CreateTimer(_ => _ = TickAsync(), null, TimeSpan.Zero, period);
        }

        public void Add(SchedulerEvent e)
        {
            switch (e)
            {
                case TaskLogged logged:
                    lock (_logs)
                    {
                        if (!_logs.TryGetValue(logged.TaskId, out var log)) _logs[logged.TaskId] = log = new TaskLog(writer._options.MaxLogBytesPerTask);
                        log.Append(logged.Time, logged.Level, logged.Message);
                    }
                    return;
                case TaskSucceeded: Interlocked.Increment(ref _ran); break;
                case TaskCompletedElsewhere: Interlocked.Increment(ref _elsewhere); break;
                case TaskUpstreamFailed: Interlocked.Increment(ref _upstream); break;
                case TaskNotRun: Interlocked.Increment(ref _notRun); break;
                case TaskFailed f:
                    Interlocked.Increment(ref _failed);
                    lock (_failures) if (_failures.Count < 100) _failures.Add(new TaskFailure(f.TaskId, f.Family, f.Error, f.Attempts));
                    break;
                case RunFinished finished: _finished = finished; break;
            }
            _queue.Enqueue(e);
        }

        private async Task TickAsync()
        {
            if (!await _writing.WaitAsync(0)) return; // the previous write is still going
            try
            {
                if (!_done) await WriteAsync(final: false, CancellationToken.None);
            }
            finally { _writing.Release(); }
        }

        public async Task FinishAsync(CancellationToken ct)
        {
            _timer?.Dispose();
            await _writing.WaitAsync(ct);
            try
            {
                if (_done) return;
                await WriteAsync(final: true, ct);
                _done = true;
            }
            finally { _writing.Release(); }
        }

        private async Task WriteAsync(bool final, CancellationToken ct)
        {
            await Attempt("events", () => WriteEventsAsync(ct));
            await Attempt("task logs", () => WriteLogsAsync(ct));
            var now = writer._time.GetUtcNow();
            if (final || now - _lastRecord >= writer._options.Heartbeat)
            {
                if (final && _finished is { } f)
                    await Attempt("task outcomes", () => WriteBytesAsync(RunHistoryLayout.TasksKey(Id), TaskLines(f), ct));
                await Attempt("run record", () => WriteTextAsync(RunHistoryLayout.RecordKey(Id), Serialize(Record(now, final)), ct));
                _lastRecord = now;
            }
        }

        private RunRecord Record(DateTimeOffset now, bool final)
        {
            List<TaskFailure> failures;
            lock (_failures) failures = [.. _failures];
            var record = _record with
            {
                Updated = now,
                Failures = failures,
                Counts = new OutcomeCounts
                {
                    Ran = _ran, CompletedElsewhere = _elsewhere, Failed = _failed, UpstreamFailed = _upstream, NotRun = _notRun,
                    AlreadyComplete = _record.Tasks - _record.ToRun,
                },
            };
            if (!final || _finished is not { } f) return final ? record with { Outcome = RunRecord.Interrupted, Ended = now } : record;
            var summary = f.Summary;
            var outcomes = summary.Reports.GroupBy(r => r.Family).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new FamilyOutcome(g.Key, g.Count(),
                g.Count(r => r.Outcome == Scheduling.TaskOutcome.Ran), g.Count(r => r.Outcome == Scheduling.TaskOutcome.AlreadyComplete),
                g.Count(r => r.Outcome == Scheduling.TaskOutcome.CompletedElsewhere), g.Count(r => r.Outcome == Scheduling.TaskOutcome.Failed),
                g.Count(r => r.Outcome == Scheduling.TaskOutcome.UpstreamFailed), g.Count(r => r.Outcome == Scheduling.TaskOutcome.NotRun))).ToList();
            return record with
            {
                Outcomes = outcomes,
                Ended = f.Time,
                Seconds = f.Duration.TotalSeconds,
                Outcome = f.Interrupted ? RunRecord.Interrupted : summary.RootComplete ? RunRecord.Succeeded : RunRecord.Failed,
                Counts = new OutcomeCounts
                {
                    Ran = summary.Count(Scheduling.TaskOutcome.Ran),
                    AlreadyComplete = summary.Count(Scheduling.TaskOutcome.AlreadyComplete),
                    CompletedElsewhere = summary.Count(Scheduling.TaskOutcome.CompletedElsewhere),
                    Failed = summary.Count(Scheduling.TaskOutcome.Failed),
                    UpstreamFailed = summary.Count(Scheduling.TaskOutcome.UpstreamFailed),
                    NotRun = summary.Count(Scheduling.TaskOutcome.NotRun),
                },
            };
        }

        private async Task WriteEventsAsync(CancellationToken ct)
        {
            // One buffer and one JSON writer for the life of the run: lines go straight into the chunk.
            var chunk = _chunk;
            var json = _json ??= new System.Text.Json.Utf8JsonWriter(chunk);
            while (_queue.TryDequeue(out var e)) EventLineWriter.TryWrite(json, chunk, e);
            if (chunk.WrittenCount == 0) return;
            // Written whole under the next number; until that succeeds the lines stay in the buffer (and more join them).
            await WriteBytesAsync(RunHistoryLayout.ChunkKey(Id, _sequence + 1), chunk.WrittenMemory, ct);
            _sequence++;
            chunk.ResetWrittenCount();
        }

        private async Task WriteLogsAsync(CancellationToken ct)
        {
            List<(string Task, byte[] Text)> changed = [];
            lock (_logs)
                foreach (var (task, log) in _logs)
                    if (log.TakeChanged() is { } text) changed.Add((task, text));
            foreach (var (task, text) in changed) await WriteBytesAsync(RunHistoryLayout.LogKey(Id, task), text, ct);
        }

        /// <summary>One JSON line per task the run handled, straight to UTF-8 (a run of 100,000 tasks writes 100,000 lines).</summary>
        private static ReadOnlyMemory<byte> TaskLines(RunFinished finished)
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(64 * 1024);
            using var json = new System.Text.Json.Utf8JsonWriter(buffer);
            foreach (var r in finished.Summary.Reports)
            {
                if (r.Outcome == Scheduling.TaskOutcome.AlreadyComplete) continue;
                json.Reset(buffer);
                System.Text.Json.JsonSerializer.Serialize(json,
                    new TaskLine(r.TaskId, r.Family, ToKebab(r.Outcome), Math.Round(r.Duration.TotalSeconds, 3), r.Attempts, r.Reason), HistoryJson.Default.TaskLine);
                json.Flush();
                System.Buffers.BuffersExtensions.Write(buffer, "\n"u8);
            }
            return buffer.WrittenMemory;
        }

        private static string Serialize(RunRecord record) => System.Text.Json.JsonSerializer.Serialize(record, HistoryJson.Default.RunRecord);

        private Task WriteTextAsync(string key, string text, CancellationToken ct) => WriteBytesAsync(key, System.Text.Encoding.UTF8.GetBytes(text), ct);

        private async Task WriteBytesAsync(string key, ReadOnlyMemory<byte> bytes, CancellationToken ct)
        {
            var scratch = Path.Combine(Path.GetTempPath(), "detect-history-" + Guid.NewGuid().ToString("N"));
            try
            {
                using (var file = new FileStream(scratch, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0))
                    file.Write(bytes.Span);
                await Store.PublishStagedFileAsync(key, scratch, ct);
            }
            finally { File.Delete(scratch); }
        }

        private async Task Attempt(string what, Func<Task> write)
        {
            try { await write(); }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                if (_warned) return;
                _warned = true;
                writer._logger.LogWarning("run history: could not write the {What} of run {Run} to {Store} ({Error}); trying again, the run goes on",
                    what, Id, Store.Uri, e.Message);
            }
        }

        public void Dispose()
        {
            _timer?.Dispose();
            _json?.Dispose();
            _writing.Dispose();
        }
    }

    private static string ToKebab(Scheduling.TaskOutcome outcome) => OutcomeNames[(int)outcome];

    /// <summary>Each outcome's kebab-case name, by its value (made once: a run writes one per task).</summary>
    private static readonly string[] OutcomeNames = MakeOutcomeNames();

    private static string[] MakeOutcomeNames()
    {
        var outcomes = Enum.GetValues<Scheduling.TaskOutcome>();
        var names = new string[outcomes.Max(o => (int)o) + 1];
        foreach (var o in outcomes) names[(int)o] = Parameters.ParameterParsing.ToKebab(o.ToString());
        return names;
    }

    /// <summary>A task's log lines, keeping the last <c>max</c> bytes, and whether they changed since last written.</summary>
    private sealed class TaskLog(int max)
    {
        private readonly System.Text.StringBuilder _text = new();
        private bool _changed;

        public void Append(DateTimeOffset time, string level, string message)
        {
            _text.Append(time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ")).Append(' ').Append(LevelName(level)).Append(' ').Append(message).Append('\n');
            if (_text.Length > max) _text.Remove(0, _text.Length - max);
            _changed = true;
        }

        public byte[]? TakeChanged()
        {
            if (!_changed) return null;
            _changed = false;
            return System.Text.Encoding.UTF8.GetBytes(_text.ToString());
        }

        private static string LevelName(string level) => level switch
        {
            "Trace" => "TRACE", "Debug" => "DEBUG", "Information" => "INFO ", "Warning" => "WARN ", "Error" => "ERROR", "Critical" => "CRIT ",
            _ => level,
        };
    }
}
