using Detect.Engine.Parameters;
using Detect.Engine.Scheduling;

namespace Detect.Engine.Export;

/// <summary>
/// The command-line parameters that make <c>detect run &lt;Family&gt;</c> build exactly a given task: every
/// parameter (significant or not) in its canonical text, as one <c>--name=value</c> word each, so no value is ever
/// split or taken for an option. Generic: whatever parameters a task declares are carried.
/// </summary>
public static class StepArguments
{
    public static List<string> Of(WorkflowTask task, IReadOnlyList<string> shared)
    {
        var words = new List<string>(shared.Count + task.Schema.Parameters.Count);
        words.AddRange(shared);
        foreach (var p in task.Schema.Parameters)
            words.Add($"--{p.KebabName}={ParameterParsing.Canonical(p.GetValue(task))}");
        return words;
    }

    /// <summary>
    /// The per-family defaults given on the export's command line (<c>--Heatmap-batch-size 4096</c>), as words for
    /// every step: the tasks a step builds itself (its static and dynamic requirements) then get them too.
    /// </summary>
    public static IReadOnlyList<string> FamilyDefaults(ParameterDefaults? defaults, TaskRegistry registry)
    {
        if (defaults is null) return [];
        var words = new List<string>();
        foreach (var (family, property, value) in defaults.Values.OrderBy(v => v.Family, StringComparer.Ordinal).ThenBy(v => v.Property, StringComparer.Ordinal))
        {
            var parameter = registry.Find(family)?.Parameters.FirstOrDefault(p => p.Name == property);
            if (parameter is not null) words.Add($"--{family}-{parameter.KebabName}={ParameterParsing.Canonical(value)}");
        }
        return words;
    }
}
