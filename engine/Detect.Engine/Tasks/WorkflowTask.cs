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

    /// <summary>
    /// Parameter values, lowest precedence first: the class's own defaults (property initializers), defaults taken
    /// from <see cref="InheritsAttribute"/> owners, the values of the task this one is cloned from
    /// (<see cref="Clone{T}(Func{T})"/>), per-family defaults (<c>--Task-param</c>); the object initializer, which
    /// runs after this constructor, wins over all of them.
    /// </summary>
    protected WorkflowTask()
    {
        Schema.ApplyInheritedDefaults(this);
        TaskCloning.ApplySource(this);
        ParameterDefaults.Current?.ApplyTo(this);
    }

    /// <summary>
    /// As Luigi's <c>clone</c>: the task <paramref name="create"/> makes, with every parameter it shares with this
    /// task by name and type set to this task's value — then per-family defaults, then what the initializer in
    /// <paramref name="create"/> sets. So a task builds its requirement from its own parameters:
    /// <c>Clone(() =&gt; new Heatmap { Tile = tile })</c>. <paramref name="create"/> must make exactly one task.
    /// </summary>
    public T Clone<T>(Func<T> create) where T : WorkflowTask => TaskCloning.Clone(this, create);

    /// <summary><see cref="Clone{T}(Func{T})"/> with nothing set beyond what is copied.</summary>
    public T Clone<T>() where T : WorkflowTask, new() => TaskCloning.Clone(this, () => new T());

    private TaskSchema? _schema;
    public TaskSchema Schema => _schema ??= TaskSchema.Of(GetType());
    public string Family => Schema.Family;

    /// <summary>
    /// Family, the values that tell this instance apart (at most 3, 16 characters each) and a hash of every
    /// significant parameter: short, readable and stable across processes (e.g. <c>Heatmap_bali_50LKR_3f2a…</c>).
    /// </summary>
    public string TaskId => _taskId ??= TaskIdentity.Compute(this);

    /// <summary>
    /// The task id as the engine first defined it (every significant value, up to 120 characters; same hash). Kept
    /// for what must not change with the id's readable part, e.g. a run id derived from a task id.
    /// </summary>
    public string LegacyTaskId => TaskIdentity.ComputeLegacy(this);

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
    /// <summary>As Luigi's <c>task_id_str</c>: at most this many parameter values in the readable part …</summary>
    public const int ReadableParameters = 3;

    /// <summary>… each cut to this many characters …</summary>
    public const int ReadableValueLength = 16;

    /// <summary>… except the values the task names with <see cref="TaskIdParametersAttribute"/>, so a tile id (17) shows whole.</summary>
    public const int NamedValueLength = 24;

    /// <summary>
    /// <c>Family_v1_v2_v3_hash</c>: the values of at most 3 significant parameters, 16 characters each (24 for
    /// those the task names), and the hash.
    /// The values shown are those that tell instances apart: the parameters the task names with
    /// <see cref="TaskIdParametersAttribute"/> first, then the others whose value is not the class default, in
    /// <see cref="TaskSchema.SignificantParameters"/> order; empty values are left out. The hash (below) covers
    /// every significant parameter, so the id is as unique as before; only its readable part changed (issue 14).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: every task of every graph
    public static string Compute(WorkflowTask task)
    {
        var parameters = task.SignificantParameters();
        var hash = Hash(task.Family, parameters);
        var schema = task.Schema;
        var readable = Scratch!.Readable.Clear();
        var shown = 0;
        foreach (var index in schema.IdParameterOrder)
        {
            var value = parameters[index].Value;
            var named = schema.IsNamedIdParameter(index);
            if (value.Length == 0 || (!named && value == schema.DefaultCanonicalValues[index])) continue;
            if (readable.Length > 0) readable.Append('_');
            AppendSanitized(readable, value, named ? NamedValueLength : ReadableValueLength);
            if (++shown == ReadableParameters) break;
        }
        return readable.Length == 0 ? $"{task.Family}__{hash}" : $"{task.Family}_{readable}_{hash}";
    }

    private const int LegacyReadableLength = 120;

    /// <summary>
    /// The id as first defined (until issue 14): <c>Family_all-values_hash</c>, every non-empty significant value
    /// cut to 24 characters, 120 in all. Still the input of <c>Detect</c>'s run id, so run ids do not change.
    /// </summary>
    public static string ComputeLegacy(WorkflowTask task)
    {
        var parameters = task.SignificantParameters();
        var hash = Hash(task.Family, parameters);
        var readable = Scratch!.Readable.Clear();
        foreach (var (_, value) in parameters)
        {
            if (readable.Length > LegacyReadableLength) break;
            if (value.Length == 0) continue;
            if (readable.Length > 0) readable.Append('_');
            AppendSanitized(readable, value, 24);
        }
        if (readable.Length > LegacyReadableLength) readable.Length = LegacyReadableLength;
        return readable.Length == 0 ? $"{task.Family}__{hash}" : $"{task.Family}_{readable}_{hash}";
    }

    /// <summary>
    /// The first 10 hex digits of sha256(family + the significant parameters as a JSON object, in
    /// <see cref="TaskSchema.SignificantParameters"/> order, escaped as System.Text.Json's default encoder does).
    /// Written straight to bytes (no dictionary, no intermediate strings). Must never change: stores are keyed by it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string Hash(string family, IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        var scratch = Scratch ??= new ThreadScratch();
        var buffer = scratch.Buffer;
        buffer.ResetWrittenCount();
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
        return Convert.ToHexStringLower(digest[..5]);
    }

    [ThreadStatic] private static ThreadScratch? Scratch;

    private sealed class ThreadScratch
    {
        public readonly System.Buffers.ArrayBufferWriter<byte> Buffer = new(512);
        public readonly Utf8JsonWriter Json = new(Stream.Null);
        public readonly IncrementalHash Sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        public readonly StringBuilder Readable = new(160);
    }

    /// <summary>The first <paramref name="max"/> characters of a value, anything but letters, digits, '-' and '.' as '_'.</summary>
    private static void AppendSanitized(StringBuilder sb, string value, int max)
    {
        var n = Math.Min(value.Length, max);
        for (var i = 0; i < n; i++)
        {
            var c = value[i];
            sb.Append(char.IsLetterOrDigit(c) || c is '-' or '.' ? c : '_');
        }
    }
}
