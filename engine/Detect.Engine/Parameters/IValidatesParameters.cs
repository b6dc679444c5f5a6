namespace Detect.Engine.Parameters;

/// <summary>
/// A task whose parameters must also agree with each other (a start before an end) or with something only the
/// task knows (a model name in its manifest). Checked with the per-parameter rules before anything runs.
/// </summary>
public interface IValidatesParameters
{
    /// <summary>Throws a <see cref="ParameterException"/> naming the parameter(s), the values and the fix.</summary>
    void ValidateParameters();
}

/// <summary>Checks a task's parameter values: each parameter's declared rules (<see cref="ParameterRules"/>), then its own hook.</summary>
public static class ParameterValidation
{
    public static void Validate(WorkflowTask task)
    {
        foreach (var p in task.Schema.Parameters)
        {
            var value = p.GetValue(task);
            if (ParameterRules.Check(p.Property, value) is { } problem)
                throw new ParameterException($"{task.Family}: --{p.KebabName} {ParameterParsing.Quoted(value)} {problem}.");
        }
        if (task is IValidatesParameters validates) validates.ValidateParameters();
    }
}
