namespace Detect.Engine.Export;

/// <summary>
/// The CWL v1.2 document of an export: one CommandLineTool that runs a job's <c>detect run &lt;family&gt;
/// --no-deps &lt;parameters&gt; --store &lt;store&gt;</c> commands (<see cref="StepCommands"/>), and a Workflow
/// with one step per <see cref="WorkflowStep"/>, scattered over those jobs. Steps are ordered by a small "done"
/// token (the family name): a step waits for the steps it takes tokens from, and keeps one of them
/// (<c>pickValue: first_non_null</c>), so a scattered step of N jobs never hands N values to each of the next
/// step's jobs. No JavaScript expressions, so runners need no Node.js. Credentials are never in the document: the
/// steps read the standard AWS variables from their environment (see the README's "Scale out").
/// </summary>
public static class CwlWorkflow
{
    public const string ToolId = "detect-run";
    public const string WorkflowId = "main";

    public static OrderedDictionary<string, object?> Build(IReadOnlyList<WorkflowStep> steps, WorkflowTask root, CwlExportSettings settings)
    {
        var workflowSteps = new OrderedDictionary<string, object?>();
        foreach (var step in steps) workflowSteps[step.Id] = Step(step, settings);

        var workflow = new OrderedDictionary<string, object?>
        {
            ["id"] = WorkflowId,
            ["class"] = "Workflow",
            ["label"] = $"{root.TaskId}: {steps.Sum(s => s.Tasks.Count)} task(s) in {steps.Count} step(s)",
            ["requirements"] = new List<object>
            {
                Map(("class", "ScatterFeatureRequirement")),
                Map(("class", "MultipleInputFeatureRequirement")),
            },
            ["inputs"] = Map(("store", Map(
                ("type", "string"),
                ("default", settings.StoreUri),
                ("doc", "The store every step reads and writes (s3://bucket/prefix, or file:///path that every node sees)")))),
            ["outputs"] = steps.Count == 0
                ? new OrderedDictionary<string, object?>()
                : Map(("done", Map(("type", "Any"), ("outputSource", $"{steps.First(s => s.Tasks.Contains(root)).Id}/done")))),
            ["steps"] = workflowSteps,
        };

        return Map(
            ("cwlVersion", "v1.2"),
            ("$namespaces", Map(("cwltool", "http://commonwl.org/cwltool#"))),
            ("$graph", new List<object> { Tool(settings), workflow }));
    }

    private static OrderedDictionary<string, object?> Tool(CwlExportSettings settings) => Map(
        ("id", ToolId),
        ("class", "CommandLineTool"),
        ("doc", $"One job of a step: `{settings.Program} run <family> --no-deps --workers <n> <parameters> --store \"${StepCommands.StoreVariable}\"` " +
                "for each of its tasks, one after another. It reads and writes the store itself; its only output is a token for ordering."),
        ("requirements", new List<object>
        {
            // The job's commands are shell words: a list per task would cost runners a parse and copy per word.
            Map(("class", "ShellCommandRequirement")),
            // Steps reach the store (S3) over the network; CWL denies containers network access unless asked.
            Map(("class", "NetworkAccess"), ("networkAccess", true)),
            Map(("class", "EnvVarRequirement"), ("envDef", Map((StepCommands.StoreVariable, "$(inputs.store)")))),
        }),
        ("hints", Hints(settings)),
        ("arguments", new List<object> { Map(("valueFrom", "$(inputs.commands)"), ("shellQuote", false)) }),
        ("inputs", Map(
            ("commands", Map(("type", "string"), ("doc", "the job's `detect run` commands, joined by &&"))),
            ("family", Map(("type", "string"))),
            ("store", Map(("type", "string"))),
            ("after", Map(("type", "Any?"), ("doc", "a token from the steps this one waits for (ordering only)"))))),
        ("outputs", Map(("done", Map(("type", "string"), ("outputBinding", Map(("outputEval", "$(inputs.family)"))))))));

    private static List<object> Hints(CwlExportSettings settings)
    {
        // The store is the cache: a step whose outputs exist finds its task complete, so runner-side reuse of
        // earlier step results would only hide reruns asked for by deleting outputs.
        var hints = new List<object> { Map(("class", "WorkReuse"), ("enableReuse", false)) };
        // A hint, not a requirement: `cwltool --no-container` then runs `detect` from PATH instead of refusing.
        if (settings.Image is { } image) hints.Insert(0, Map(("class", "DockerRequirement"), ("dockerPull", image)));
        return hints;
    }

    private static OrderedDictionary<string, object?> Step(WorkflowStep step, CwlExportSettings settings)
    {
        var requirements = new List<object>
        {
            Map(("class", "ResourceRequirement"), ("coresMin", settings.Cores.For(step.Family)), ("ramMin", settings.RamMiB.For(step.Family))),
        };
        if (step.Gpus > 0)
            requirements.Add(Map(
                ("class", "cwltool:CUDARequirement"),
                ("cudaVersionMin", settings.CudaVersionMin),
                ("cudaComputeCapability", settings.CudaComputeCapability),
                ("cudaDeviceCountMin", step.Gpus),
                ("cudaDeviceCountMax", step.Gpus)));

        var jobs = StepCommands.For(step, settings);
        var inputs = Map(
            ("store", "store"),
            ("family", Map(("default", step.Family))),
            ("commands", Map(("default", jobs.Cast<object>().ToList()))));
        if (step.After.Count > 0)
            inputs["after"] = Map(
                ("source", new FlowSequence(step.After.Select(a => $"{a}/done"))),
                ("linkMerge", "merge_flattened"),
                ("pickValue", "first_non_null"));

        return Map(
            ("run", "#" + ToolId),
            ("label", $"{step.Tasks.Count} × {step.Family} in {jobs.Count} job(s)"),
            ("requirements", requirements),
            ("scatter", "commands"),
            ("in", inputs),
            ("out", new FlowSequence { "done" }));
    }

    private static OrderedDictionary<string, object?> Map(params (string Key, object? Value)[] entries)
    {
        var map = new OrderedDictionary<string, object?>(entries.Length);
        foreach (var (key, value) in entries) map[key] = value;
        return map;
    }
}

/// <summary>A list written on one line (<c>[a, b]</c>) in the YAML: short sequences.</summary>
public sealed class FlowSequence : List<string>
{
    public FlowSequence() { }
    public FlowSequence(IEnumerable<string> items) : base(items) { }
}
