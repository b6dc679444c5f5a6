using System.Globalization;

namespace Detect.Engine.Export;

/// <summary>
/// The shell commands of a step's jobs. Each task is one <c>detect run &lt;Family&gt; --no-deps --workers N
/// &lt;exact parameters&gt; --store "$DETECT_STORE"</c>; a step with more tasks than
/// <see cref="CwlExportSettings.MaxJobsPerStep"/> gives each job a contiguous run of tasks joined by <c>&amp;&amp;</c>
/// (one after another; the first failure fails the job). The cap exists because CWL runners load a scatter in
/// time that grows faster than linearly with its length: cwltool 3.1 copies the whole step for each of its
/// parts, so a 2,000-element scatter alone takes a minute to load (see the README's "Scale out").
/// </summary>
public static class StepCommands
{
    /// <summary>The environment variable the tool sets from its <c>store</c> input (an EnvVarRequirement).</summary>
    public const string StoreVariable = "DETECT_STORE";

    public static IReadOnlyList<string> For(WorkflowStep step, CwlExportSettings settings)
    {
        var workers = settings.Cores.For(step.Family).ToString(CultureInfo.InvariantCulture);
        var commands = step.Tasks.Select(task => string.Join(' ',
            new[] { settings.Program, "run", step.Family, "--no-deps", "--workers", workers }
                .Concat(StepArguments.Of(task, settings.SharedArguments).Select(Quote))
                .Append("--store").Append($"\"${StoreVariable}\""))).ToList();

        var jobs = Math.Min(commands.Count, Math.Max(1, settings.MaxJobsPerStep));
        var result = new List<string>(jobs);
        for (var job = 0; job < jobs; job++)
        {
            int from = (int)((long)commands.Count * job / jobs), to = (int)((long)commands.Count * (job + 1) / jobs);
            result.Add(string.Join(" && ", commands.Skip(from).Take(to - from)));
        }
        return result;
    }

    /// <summary>
    /// One word for a POSIX shell: as is when made only of characters no shell treats specially, else in single
    /// quotes (an embedded quote written as <c>'"'"'</c>), so any value reaches <c>detect</c> unchanged.
    /// </summary>
    public static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ':' or '=' or ',' or '+' or '@' or '%')
            ? word
            : "'" + word.Replace("'", "'\"'\"'") + "'";
}
