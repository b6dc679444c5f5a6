using System.Text.Json.Serialization;

namespace Detect.Engine.History;

/// <summary>
/// The record of one <c>detect run</c> (<c>.detect/runs/&lt;id&gt;.json</c>): who ran what, where and when, how it
/// ended, and per family how many tasks there were and what became of them. Rewritten every heartbeat while the
/// run goes on; a record still "running" whose <see cref="Updated"/> is older than <see cref="StaleAfterSeconds"/>
/// belongs to a run that ended abnormally (killed, machine lost).
/// </summary>
public sealed record RunRecord
{
    public const string Running = "running", Succeeded = "succeeded", Failed = "failed", Interrupted = "interrupted";

    public required string Id { get; init; }
    public required string RootTask { get; init; }
    public required string RootFamily { get; init; }
    public Dictionary<string, string> Parameters { get; init; } = [];
    public string Host { get; init; } = "";
    public int Pid { get; init; }
    public string User { get; init; } = "";
    /// <summary>The command line, with anything that looks like a secret replaced by <c>***</c>.</summary>
    public List<string> Command { get; init; } = [];
    public string Store { get; init; } = "";
    public DateTimeOffset Started { get; init; }
    public DateTimeOffset Updated { get; init; }
    public DateTimeOffset? Ended { get; init; }
    public string Outcome { get; init; } = Running;
    public double StaleAfterSeconds { get; init; } = 60;
    public int Tasks { get; init; }
    public int ToRun { get; init; }
    public List<FamilyCounts> Families { get; init; } = [];
    /// <summary>Family pairs [from, to]: tasks of "from" are required by tasks of "to".</summary>
    public List<string[]> Edges { get; init; } = [];
    public OutcomeCounts Counts { get; init; } = new();
    /// <summary>The first failed tasks (up to 100) with their errors.</summary>
    public List<TaskFailure> Failures { get; init; } = [];
    /// <summary>When the run has ended: per family how its tasks ended (so a finished run is shown without its event log).</summary>
    public List<FamilyOutcome>? Outcomes { get; init; }
    public double? Seconds { get; init; }
    /// <summary>The trigger file and row the run was started for (<c>detect watch</c>); null for other runs.</summary>
    public RunTrigger? Trigger { get; init; }

    /// <summary>The outcome as readers should show it at <paramref name="now"/>: "abnormal" for a silent "running".</summary>
    public string StateAt(DateTimeOffset now) =>
        Outcome == Running && now - Updated > TimeSpan.FromSeconds(StaleAfterSeconds) ? "abnormal" : Outcome;
}

public sealed record FamilyCounts(string Family, int Tasks, int ToRun);

public sealed record FamilyOutcome(string Family, int Tasks, int Ran, int AlreadyComplete, int CompletedElsewhere, int Failed, int UpstreamFailed, int NotRun);

public sealed record TaskFailure(string Task, string Family, string Error, int Attempts);

/// <summary>How many tasks ended which way (already-complete ones are counted from the plan).</summary>
public sealed record OutcomeCounts
{
    public int Ran { get; init; }
    public int AlreadyComplete { get; init; }
    public int CompletedElsewhere { get; init; }
    public int Failed { get; init; }
    public int UpstreamFailed { get; init; }
    public int NotRun { get; init; }
    [JsonIgnore] public int Finished => Ran + CompletedElsewhere + Failed + UpstreamFailed + NotRun;
}

/// <summary>One line of <c>tasks.jsonl</c>: what a task the run handled did.</summary>
public sealed record TaskLine(string Task, string Family, string Outcome, double Seconds, int Attempts, string? Reason);
