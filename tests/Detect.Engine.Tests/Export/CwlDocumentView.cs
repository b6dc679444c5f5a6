using YamlDotNet.Serialization;

namespace Detect.Engine.Tests.Export;

/// <summary>An exported CWL document read back with YamlDotNet, with accessors for what the tests check.</summary>
public sealed class CwlDocumentView
{
    private readonly Dictionary<object, object> _root;

    public CwlDocumentView(string yaml)
    {
        Yaml = yaml;
        _root = (Dictionary<object, object>)new DeserializerBuilder().Build().Deserialize<object>(yaml)!;
    }

    public string Yaml { get; }
    public string CwlVersion => (string)_root["cwlVersion"];

    private IEnumerable<Dictionary<object, object>> Graph => ((List<object>)_root["$graph"]).Cast<Dictionary<object, object>>();
    public Dictionary<object, object> Tool => Graph.Single(g => (string)g["class"] == "CommandLineTool");
    public Dictionary<object, object> Workflow => Graph.Single(g => (string)g["class"] == "Workflow");

    public Dictionary<object, object> Steps => Workflow["steps"] as Dictionary<object, object> ?? [];
    public IReadOnlyList<string> StepIds => Steps.Keys.Cast<string>().ToList();
    public Dictionary<object, object> Step(string id) => (Dictionary<object, object>)Steps[id];

    public string StoreDefault => (string)((Dictionary<object, object>)((Dictionary<object, object>)Workflow["inputs"])["store"])["default"];

    public Dictionary<object, object> In(string step) => (Dictionary<object, object>)Step(step)["in"];

    /// <summary>The step's jobs: the shell command strings it scatters over.</summary>
    public IReadOnlyList<string> Jobs(string step) =>
        ((List<object>)((Dictionary<object, object>)In(step)["commands"])["default"]).Cast<string>().ToList();

    /// <summary>Each task's command of the step as the shell would split it: detect, run, family, options, parameters.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Commands(string step) => Jobs(step).SelectMany(ShellWords.Commands).ToList();

    /// <summary>The task parameters of each of the step's commands (the words between the run options and --store).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Parameters(string step) =>
        Commands(step).Select(words => (IReadOnlyList<string>)words.Skip(6).Take(words.Count - 8).ToList()).ToList();

    public string Family(string step) => (string)((Dictionary<object, object>)In(step)["family"])["default"];

    /// <summary>The steps this one waits for (from its "after" sources).</summary>
    public IReadOnlyList<string> After(string step) =>
        In(step).TryGetValue("after", out var after)
            ? ((List<object>)((Dictionary<object, object>)after)["source"]).Cast<string>().Select(s => s.Split('/')[0]).ToList()
            : [];

    public IEnumerable<Dictionary<object, object>> Requirements(string step) =>
        ((List<object>)Step(step)["requirements"]).Cast<Dictionary<object, object>>();

    public Dictionary<object, object>? Requirement(string step, string cls) =>
        Requirements(step).SingleOrDefault(r => (string)r["class"] == cls);

    public IEnumerable<Dictionary<object, object>> ToolHints =>
        Tool.TryGetValue("hints", out var hints) ? ((List<object>)hints).Cast<Dictionary<object, object>>() : [];
}

/// <summary>
/// Splits POSIX shell text the way `sh` does for the forms the export writes: words separated by blanks, '…'
/// and "…" quoting, commands joined by &amp;&amp;. "$DETECT_STORE" is kept as written.
/// </summary>
public static class ShellWords
{
    public static IEnumerable<IReadOnlyList<string>> Commands(string text)
    {
        var command = new List<string>();
        var word = new System.Text.StringBuilder();
        var inWord = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\'')
            {
                var end = text.IndexOf('\'', i + 1);
                word.Append(text, i + 1, end - i - 1);
                i = end;
                inWord = true;
            }
            else if (c == '"')
            {
                var end = text.IndexOf('"', i + 1);
                var quoted = text[(i + 1)..end];
                word.Append(quoted.StartsWith('$') ? $"\"{quoted}\"" : quoted); // "$DETECT_STORE" as written; '"'"' as a quote
                i = end;
                inWord = true;
            }
            else if (c == ' ')
            {
                if (inWord) command.Add(word.ToString());
                word.Clear();
                inWord = false;
            }
            else if (c == '&' && !inWord && i + 1 < text.Length && text[i + 1] == '&')
            {
                yield return command;
                command = [];
                i++;
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }
        if (inWord) command.Add(word.ToString());
        if (command.Count > 0) yield return command;
    }
}
