using System.Text.Json;

namespace Detect.Engine.Scheduling.Planning;

/// <summary>
/// The record of a task's dynamic dependencies, stored beside its first output so that a later run (in any
/// process) sees them when it checks completeness. Written before the outputs are published.
/// </summary>
internal static class DynamicDependencies
{
    public static Target? ManifestFor(WorkflowTask task) => ManifestFor(task.Output().ToList());

    public static Target? ManifestFor(IReadOnlyList<Target> outputs)
    {
        var primary = outputs.Count > 0 ? outputs[0] : null;
        return primary switch
        {
            StoreTarget s => s.WithSuffix(".deps.json"),
            FlagTarget f => new StoreTarget(f.Prefix + "_DEPS.json", f.StoreUri),
            LocalFileTarget l => new LocalFileTarget(l.Path + ".deps.json"),
            CacheFileTarget c => c.WithSuffix(".deps.json"),
            _ => null,
        };
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Serialize(IEnumerable<WorkflowTask> tasks) =>
        JsonSerializer.Serialize(
            tasks.Select(t => new Entry(t.Family, t.SignificantParameters().ToDictionary(p => p.Key, p => p.Value))).ToList(),
            Indented);

    public static IReadOnlyList<WorkflowTask> Deserialize(string json, TaskRegistry registry, string source)
    {
        List<Entry>? entries;
        try { entries = JsonSerializer.Deserialize<List<Entry>>(json); }
        catch (JsonException e) { throw new InvalidDataException($"Dependency manifest {source} is not valid JSON: {e.Message}. Delete it to rerun its task."); }
        return (entries ?? []).Select(e =>
        {
            var schema = registry.Find(e.Family) ?? throw new InvalidDataException(
                $"Dependency manifest {source} names unknown task family '{e.Family}'. Delete it to rerun its task.");
            return TaskBuilder.Create(schema, e.Parameters);
        }).ToList();
    }

    private sealed record Entry(string Family, Dictionary<string, string> Parameters);
}
