using System.Text;
using Detect.Engine.Parameters;

namespace Detect.Engine.Cli;

/// <summary>Prints the static dependency graph: an indented tree, or a Mermaid flowchart (data flows along the arrows).</summary>
public static class DepsCommand
{
    internal static Task<int> ExecuteAsync(CliApp app, WorkflowTask root, DepsOptions options)
    {
        var text = options.Format switch
        {
            "tree" => Tree(root),
            "mermaid" => Mermaid(root),
            _ => throw new ParameterException($"--format must be tree or mermaid, got '{options.Format}'."),
        };
        app.Out.Write(text);
        return Task.FromResult(CliApp.Success);
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

    private static string Tree(WorkflowTask root)
    {
        var sb = new StringBuilder();
        var seen = new HashSet<WorkflowTask>();
        void Walk(WorkflowTask task, string indent, bool last, bool top)
        {
            sb.Append(top ? "" : indent + (last ? "└── " : "├── ")).Append(Label(task));
            if (!seen.Add(task)) { sb.AppendLine(" (see above)"); return; }
            sb.AppendLine();
            var children = task.Requires().ToList();
            for (var i = 0; i < children.Count; i++)
                Walk(children[i], top ? "" : indent + (last ? "    " : "│   "), i == children.Count - 1, false);
        }
        Walk(root, "", true, true);
        return sb.ToString();
    }

    public static string Mermaid(WorkflowTask root)
    {
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
            return id;
        }
        Id(root);
        return "```mermaid\nflowchart TD\n" + nodes + edges + "```\n";
    }
}
