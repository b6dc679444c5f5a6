namespace Detect.Engine.Parameters;

/// <summary>
/// Per-family parameter values that replace the class defaults (<c>--Heatmap-batch-size 4096</c>), as Luigi's
/// <c>--TaskName-param</c>. Applied when a task is constructed, before its object initializer, so a value
/// given explicitly in code or on the command line for one instance still wins.
/// </summary>
public sealed class ParameterDefaults
{
    private static readonly AsyncLocal<ParameterDefaults?> Ambient = new();
    private readonly Dictionary<string, Dictionary<string, object?>> _byFamily = new(StringComparer.Ordinal);

    public static ParameterDefaults? Current => Ambient.Value;

    /// <summary>Makes these defaults apply to tasks constructed on this async flow until disposed.</summary>
    public IDisposable Activate()
    {
        var previous = Ambient.Value;
        Ambient.Value = this;
        return new Restore(() => Ambient.Value = previous);
    }

    public void Set(string family, string propertyName, object? value)
    {
        if (!_byFamily.TryGetValue(family, out var values)) _byFamily[family] = values = new(StringComparer.Ordinal);
        values[propertyName] = value;
    }

    /// <summary>Every value set, by family and property name (e.g. to hand the same defaults to another process).</summary>
    public IEnumerable<(string Family, string Property, object? Value)> Values =>
        _byFamily.SelectMany(f => f.Value.Select(p => (f.Key, p.Key, p.Value)));

    internal void ApplyTo(WorkflowTask task)
    {
        if (!_byFamily.TryGetValue(task.Family, out var values)) return;
        foreach (var p in TaskSchema.Of(task.GetType()).Parameters)
            if (values.TryGetValue(p.Name, out var v)) p.SetValue(task, v);
    }

    private sealed class Restore(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
