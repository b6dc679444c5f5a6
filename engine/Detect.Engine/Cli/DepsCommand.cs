using System.Text;
using Detect.Engine.Parameters;
using Detect.Engine.Scheduling;

namespace Detect.Engine.Cli;

/// <summary>
/// Prints the dependency graph: an indented tree, or a Mermaid flowchart (data flows along the arrows). Besides the
/// requirements the code declares, it shows the dynamic ones earlier runs recorded in the store (marked
/// <c>[dynamic]</c>, dotted arrows in Mermaid); <c>--static</c> shows the declared ones only, without reading the store.
/// </summary>
public static class DepsCommand
{
    /// <summary>Recorded dynamic requirements by task (none: an empty map).</summary>
    private static readonly IReadOnlyDictionary<WorkflowTask, IReadOnlyList<WorkflowTask>> NoDynamic = new Dictionary<WorkflowTask, IReadOnlyList<WorkflowTask>>();

    internal static async Task<int> ExecuteAsync(CliApp app, WorkflowTask root, DepsOptions options, CancellationToken ct = default)
    {
        if (options.Format is not ("tree" or "mermaid"))
            throw new ParameterException($"--format must be tree or mermaid, got '{options.Format}'.");
        var dynamic = options.Static ? NoDynamic : await RecordedDynamicAsync(app, root, options, ct);
        app.Out.Write(options.Format == "tree" ? Tree(root, dynamic) : Mermaid(root, dynamic));
        return CliApp.Success;
    }

    /// <summary>The dynamic requirements recorded in the store for tasks of the graph (a store that cannot be read: a warning, none).</summary>
    private static async Task<IReadOnlyDictionary<WorkflowTask, IReadOnlyList<WorkflowTask>>> RecordedDynamicAsync(
        CliApp app, WorkflowTask root, DepsOptions options, CancellationToken ct)
    {
        try
        {
            using var session = new CliApp.Session(options);
            var scheduler = new Scheduler(app.Registry, session.Resolver, new SchedulerOptions { UseLeases = false }, session.Logger);
            return (await scheduler.ResolveAsync(root, ct)).Where(t => t.RecordedDynamic.Count > 0).ToDictionary(t => t.Task, t => t.RecordedDynamic);
        }
        catch (Storage.StoreException e)
        {
            await app.Error.WriteLineAsync($"warning: could not read recorded dynamic requirements from the store ({e.Message}); showing declared requirements only.");
            return NoDynamic;
        }
    }

    public static string Label(WorkflowTask task)
    {
        var parameters = task.SignificantParameters().Where(p => p.Value.Length > 0).Select(p => $"{p.Key}={p.Value}");
        return $"{task.Family}({string.Join(", ", parameters)})";
    }

    /// <summary>The family, plus the parameters when there are few (graph nodes stay readable).</summary>
    private static string ShortLabel(WorkflowTask task)
    {
        var parameters = task.SignificantParameters().Where(p => p.Value.Length > 0).ToList();
        var label = Label(task);
        var text = parameters.Count is > 0 and <= 2 && label.Length <= 60 ? label : task.Family;
        return text.Replace("\"", "'");
    }

    private static string Tree(WorkflowTask root, IReadOnlyDictionary<WorkflowTask, IReadOnlyList<WorkflowTask>> dynamic)
    {
        var sb = new StringBuilder();
        var seen = new HashSet<WorkflowTask>();
        void Walk(WorkflowTask task, string indent, bool last, bool top, bool isDynamic)
        {
            sb.Append(top ? "" : indent + (last ? "└── " : "├── ")).Append(Label(task)).Append(isDynamic ? " [dynamic]" : "");
            if (!seen.Add(task)) { sb.AppendLine(" (see above)"); return; }
            sb.AppendLine();
            var children = task.Requires().Select(t => (Task: t, Dynamic: false))
                .Concat(dynamic.GetValueOrDefault(task, []).Select(t => (Task: t, Dynamic: true))).ToList();
            for (var i = 0; i < children.Count; i++)
                Walk(children[i].Task, top ? "" : indent + (last ? "    " : "│   "), i == children.Count - 1, false, children[i].Dynamic);
        }
        Walk(root, "", true, true, false);
        return sb.ToString();
    }

    /// <summary>The graph as a Mermaid flowchart; recorded dynamic requirements, when given, as dotted arrows.</summary>
    public static string Mermaid(WorkflowTask root, IReadOnlyDictionary<WorkflowTask, IReadOnlyList<WorkflowTask>>? dynamic = null)
    {
        dynamic ??= NoDynamic;
        var ids = new Dictionary<WorkflowTask, string>();
        var nodes = new StringBuilder();
        var edges = new StringBuilder();
        string Id(WorkflowTask t)
        {
            if (ids.TryGetValue(t, out var id)) return id;
            id = "t" + ids.Count;
            ids[t] = id;
            nodes.AppendLine($"    {id}[\"{ShortLabel(t)}\"]");
            foreach (var required in t.Requires())
            {
                var requiredId = Id(required); // recurse before appending this edge, so lines never interleave
                edges.AppendLine($"    {requiredId} --> {id}");
            }
            foreach (var required in dynamic.GetValueOrDefault(t, []))
            {
                var requiredId = Id(required);
                edges.AppendLine($"    {requiredId} -.-> {id}");
            }
            return id;
        }
        Id(root);
        return "```mermaid\nflowchart TD\n" + nodes + edges + "```\n";
    }
}
