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

    public TaskSchema Schema => TaskSchema.Of(GetType());
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

    /// <summary>A time limit for one attempt; null uses the scheduler's default.</summary>
    public virtual TimeSpan? Timeout => null;

    /// <summary>
    /// False for tasks whose output going missing must not make dependents rerun: external inputs and
    /// fetches into a local cache. They are run (when they can be) only if a dependent has to run.
    /// </summary>
    public virtual bool InvalidatesDependents => true;

    /// <summary>Significant parameters by snake_case name, with their canonical text.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> SignificantParameters() =>
        Schema.Parameters.Where(p => p.Significant)
            .Select(p => new KeyValuePair<string, string>(p.SnakeName, ParameterParsing.Canonical(p.GetValue(this))))
            .ToList();

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
    public static string Compute(WorkflowTask task)
    {
        var parameters = task.SignificantParameters();
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        System.Buffers.BuffersExtensions.Write(buffer, Encoding.UTF8.GetBytes(task.Family));
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (name, value) in parameters) json.WriteString(name, value);
            json.WriteEndObject();
        }
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(buffer.WrittenSpan, digest);
        var hash = Convert.ToHexStringLower(digest[..5]);
        var readable = new StringBuilder(task.Family.Length + 64);
        foreach (var (_, value) in parameters)
        {
            if (readable.Length > MaxReadableLength) break;
            if (value.Length == 0) continue;
            if (readable.Length > 0) readable.Append('_');
            AppendSanitized(readable, value);
        }
        if (readable.Length > MaxReadableLength) readable.Length = MaxReadableLength;
        return readable.Length == 0 ? $"{task.Family}__{hash}" : $"{task.Family}_{readable}_{hash}";
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
