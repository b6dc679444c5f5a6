using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Detect.Engine.Parameters;

namespace Detect.Engine;

/// <summary>
/// A unit of work: typed parameters (properties marked <see cref="ParameterAttribute"/>), the tasks it
/// requires, the targets it outputs and how to make them. Its outputs existing (and its requirements being
/// complete) is what makes it complete. Two instances with equal significant parameters are the same task.
/// </summary>
public abstract class WorkflowTask : IEquatable<WorkflowTask>
{
    private string? _taskId;

    protected WorkflowTask()
    {
        ParameterDefaults.Current?.ApplyTo(this);
    }

    private TaskSchema? _schema;
    public TaskSchema Schema => _schema ??= TaskSchema.Of(GetType());
    public string Family => Schema.Family;

    /// <summary>Family, canonical significant parameters and a short hash: stable across processes.</summary>
    public string TaskId => _taskId ??= TaskIdentity.Compute(this);

    /// <summary>Tasks that must be complete before this one runs.</summary>
    public virtual IEnumerable<WorkflowTask> Requires() => [];

    /// <summary>What this task makes. A task with no outputs is complete when its requirements are.</summary>
    public virtual IEnumerable<Target> Output() => [];

    /// <summary>Makes the outputs. Write them through <see cref="TaskContext"/> so they appear atomically.</summary>
    public abstract Task RunAsync(TaskContext context);

    /// <summary>Named resources this task holds while running, e.g. <c>gpu: 1</c>; the scheduler caps their use.</summary>
    public virtual IReadOnlyDictionary<string, int> Resources => EmptyResources;

    /// <summary>
    /// Among tasks ready to start, higher priority starts first (ties: plan order); the requirements of a task above
    /// the default 0 run at least at its priority, as in Luigi; a negative one runs after the others.
    /// <c>--&lt;Task&gt;-priority N</c> sets it for a family on the command line.
    /// </summary>
    public virtual int Priority => 0;

    /// <summary>A time limit for one attempt; null uses the scheduler's default.</summary>
    public virtual TimeSpan? Timeout => null;

    /// <summary>
    /// False for tasks whose output going missing must not make dependents rerun: external inputs and
    /// fetches into a local cache. They are run (when they can be) only if a dependent has to run.
    /// </summary>
    public virtual bool InvalidatesDependents => true;

    /// <summary>Significant parameters by snake_case name, with their canonical text.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> SignificantParameters()
    {
        var significant = Schema.SignificantParameters;
        var result = new KeyValuePair<string, string>[significant.Count];
        for (var i = 0; i < result.Length; i++)
            result[i] = new KeyValuePair<string, string>(significant[i].SnakeName, ParameterParsing.Canonical(significant[i].GetValue(this)));
        return result;
    }

    /// <summary>All parameters (significant or not) by snake_case name, with their canonical text.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> AllParameters() =>
        Schema.Parameters
            .Select(p => new KeyValuePair<string, string>(p.SnakeName, ParameterParsing.Canonical(p.GetValue(this))))
            .ToList();

    public bool Equals(WorkflowTask? other) => other is not null && other.TaskId == TaskId;
    public override bool Equals(object? obj) => obj is WorkflowTask t && Equals(t);
    public override int GetHashCode() => TaskId.GetHashCode(StringComparison.Ordinal);
    public override string ToString() => TaskId;

    private static readonly IReadOnlyDictionary<string, int> EmptyResources = new Dictionary<string, int>();
}

internal static class TaskIdentity
{
    private const int MaxReadableLength = 120;

    /// <summary>
    /// <c>Family_readable-values_hash</c>, hash = the first 10 hex digits of sha256(family + the significant
    /// parameters as a JSON object, in declaration order, escaped as System.Text.Json's default encoder does).
    /// Written straight to bytes (no dictionary, no intermediate strings): ids are computed for every task of
    /// every graph. Ids must never change: stores are keyed by them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: every task of every graph
    public static string Compute(WorkflowTask task)
    {
        var parameters = task.SignificantParameters();
        var scratch = Scratch ??= new ThreadScratch();
        var buffer = scratch.Buffer;
        buffer.ResetWrittenCount();
        var family = task.Family;
        var familyBytes = Encoding.UTF8.GetByteCount(family);
        Encoding.UTF8.GetBytes(family, buffer.GetSpan(familyBytes));
        buffer.Advance(familyBytes);
        var json = scratch.Json;
        json.Reset(buffer);
        json.WriteStartObject();
        foreach (var (name, value) in parameters) json.WriteString(name, value);
        json.WriteEndObject();
        json.Flush();
        // One reusable hash object per thread: a one-shot SHA256.HashData sets up a new OpenSSL context each time.
        scratch.Sha.AppendData(buffer.WrittenSpan);
        Span<byte> digest = stackalloc byte[32];
        scratch.Sha.GetHashAndReset(digest);
        var hash = Convert.ToHexStringLower(digest[..5]);
        var readable = scratch.Readable.Clear();
        foreach (var (_, value) in parameters)
        {
            if (readable.Length > MaxReadableLength) break;
            if (value.Length == 0) continue;
            if (readable.Length > 0) readable.Append('_');
            AppendSanitized(readable, value);
        }
        if (readable.Length > MaxReadableLength) readable.Length = MaxReadableLength;
        return readable.Length == 0 ? $"{family}__{hash}" : $"{family}_{readable}_{hash}";
    }

    [ThreadStatic] private static ThreadScratch? Scratch;

    private sealed class ThreadScratch
    {
        public readonly System.Buffers.ArrayBufferWriter<byte> Buffer = new(512);
        public readonly Utf8JsonWriter Json = new(Stream.Null);
        public readonly IncrementalHash Sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        public readonly StringBuilder Readable = new(160);
    }

    /// <summary>The first 24 characters of a value, anything but letters, digits, '-' and '.' as '_'.</summary>
    private static void AppendSanitized(StringBuilder sb, string value)
    {
        var n = Math.Min(value.Length, 24);
        for (var i = 0; i < n; i++)
        {
            var c = value[i];
            sb.Append(char.IsLetterOrDigit(c) || c is '-' or '.' ? c : '_');
        }
    }
}
