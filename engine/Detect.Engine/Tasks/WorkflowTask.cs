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

    public static string Compute(WorkflowTask task)
    {
        var parameters = task.SignificantParameters();
        var json = JsonSerializer.Serialize(parameters.ToDictionary(p => p.Key, p => p.Value));
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(task.Family + json)))[..10];
        var readable = string.Join("_", parameters.Select(p => Sanitize(p.Value)).Where(v => v.Length > 0));
        if (readable.Length > MaxReadableLength) readable = readable[..MaxReadableLength];
        return readable.Length == 0 ? $"{task.Family}__{hash}" : $"{task.Family}_{readable}_{hash}";
    }

    private static string Sanitize(string value)
    {
        var sb = new StringBuilder(Math.Min(value.Length, 24));
        foreach (var c in value.Take(24)) sb.Append(char.IsLetterOrDigit(c) || c is '-' or '.' ? c : '_');
        return sb.ToString();
    }
}
