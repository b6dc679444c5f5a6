namespace Detect.Engine.Tests.Cli;

/// <summary>
/// Bad values of the options <c>run</c> and <c>watch</c> share (<see cref="Detect.Engine.Cli.ExecutionOptions"/>), with
/// the message each must give: one list, so both verbs are held to the same checks.
/// </summary>
public static class ExecutionOptionCases
{
    /// <summary>Arguments separated by '|', and a part of the expected error message.</summary>
    public static TheoryData<string, string> Bad => new()
    {
        { "--timeout|-1", "--timeout -1 must be from 0.001 to" },
        { "--timeout|0", "--timeout 0 must be from 0.001 to" },
        { "--workers|0", "--workers 0 must be from 1 to 4096" },
        { "--workers|5000", "--workers 5000 must be from 1 to 4096" },
        { "--retries|-1", "--retries -1 must be from 0 to 1000" },
        { "--retry-delay|-0.5", "--retry-delay -0.5 must be from 0 to" },
        { "--lease-ttl|0", "--lease-ttl 0 must be from 0.001 to" },
        { "--lease-poll|-2", "--lease-poll -2 must be from 0.001 to" },
        { "--resources|gpu=0", "--resources expects name=count with count >= 1 (e.g. gpu=1), got 'gpu=0'" },
        { "--resources|=2", "--resources expects name=count with count >= 1 (e.g. gpu=1), got '=2'" },
    };
}
