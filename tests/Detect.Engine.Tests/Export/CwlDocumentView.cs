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

    /// <summary>The parameter lists the step scatters over, one per task.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Parameters(string step) =>
        ((List<object>)((Dictionary<object, object>)In(step)["parameters"])["default"])
        .Select(list => (IReadOnlyList<string>)((List<object>)list).Cast<string>().ToList()).ToList();

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
