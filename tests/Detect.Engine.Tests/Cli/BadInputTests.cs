using System.ComponentModel.DataAnnotations;
using Detect.Engine.Cli;
using Detect.Engine.Parameters;

namespace Detect.Engine.Tests.Cli;

/// <summary>A task with declared rules: a key-name parameter, a range, a list that must not be empty, and a cross-check.</summary>
public sealed class RuledTask : WorkflowTask, IValidatesParameters
{
    [Parameter, StoreKeyName] public string Name { get; init; } = "a";
    [Parameter, Range(0.0, 1.0)] public double Fraction { get; init; } = 0.5;
    [Parameter, MinLength(1)] public string[] Items { get; init; } = ["x"];
    [Parameter] public int First { get; init; } = 1;
    [Parameter] public int Last { get; init; } = 2;

    public void ValidateParameters()
    {
        if (First > Last) throw new ParameterException($"{Family}: --first {First} is after --last {Last}: swap them.");
    }

    public override IEnumerable<Target> Output() => [new StoreTarget($"ruled/{Name}.txt")];
    public override Task RunAsync(TaskContext context) => context.WriteTextAsync(Output().Single(), Name);
}

/// <summary>A task whose check itself fails with an exception no check foresaw (a bug): the CLI's last resort reports it.</summary>
public sealed class BuggyCheck : WorkflowTask, IValidatesParameters
{
    [Parameter] public string Scope { get; init; } = "";
    public void ValidateParameters() => throw new InvalidOperationException("the check broke");
    public override IEnumerable<Target> Output() => [new StoreTarget($"buggy/{Scope}.txt")];
    public override Task RunAsync(TaskContext context) => context.WriteTextAsync(Output().Single(), "x");
}

/// <summary>
/// The CLI contract for bad input (issue 15 item 1): each case exits 2 (a usage error found before anything runs) or
/// 1 (the run did not complete), names the problem and its fix, never prints a stack trace, and writes nothing to
/// the store. Environment and working directory are the test's own, so the machine's DETECT_* settings never leak in.
/// </summary>
public sealed class BadInputTests : IDisposable
{
    private readonly CliHarness _cli = new();
    private TempStore Env => _cli.Env;
    private string Work => _cli.Work;
    private Dictionary<string, string> Variables => _cli.Variables;

    public void Dispose() => _cli.Dispose();

    private Task<(int Code, string Out, string Err)> Detect(params string[] args) => _cli.RunAsync(args);

    private string[] WithStore(params string[] args) => [.. args, "--store", Env.Store.Root, "--cache-dir", Env.Cache];

    private IEnumerable<string> FilesWritten() => _cli.FilesWritten();

    private void Config(string text, string name = "detect.toml") => _cli.Config(text, name);

    private async Task<string> UsageError(params string[] args)
    {
        var (code, output, err) = await Detect(args);
        code.Should().Be(CliApp.UsageError, err + output);
        err.Should().StartWith("error: ").And.NotContain("   at ", "no stack trace");
        FilesWritten().Should().BeEmpty("a usage error is found before anything is written");
        return err;
    }

    [Theory]
    [InlineData("--log-format|jsn", "--log-format 'jsn' must be one of text, json")]
    [InlineData("--workers|many", "option --workers has a value of the wrong form")]
    [InlineData("--notify|ftp://example.org/hook", "--notify 'ftp://example.org/hook' is not an http:// or https:// URL")]
    [InlineData("--flavour|sour", "AllTypes: parameter --flavour got 'sour', expected one of plain, extra-spicy")]
    [InlineData("--count|three", "AllTypes: parameter --count got 'three'")]
    [InlineData("--weights|[1, 2", "AllTypes: parameter --weights got '[1, 2'")]
    [InlineData("--start-date|2019-02-30", "parameter --start-date got '2019-02-30', expected a date YYYY-MM-DD")]
    [InlineData("--count|1|--count|2", "--count is given twice ('1' and '2'): give it once")]
    [InlineData("--wrokers|2", "Unknown parameter --wrokers for AllTypes (did you mean --workers?)")]
    [InlineData("--store|s3://", "is not a valid S3 bucket name")]
    [InlineData("--store|ftp://host/data", "The store 'ftp://host/data' has the scheme 'ftp://', which Detect cannot use: use file:///path (or a local path), s3://bucket/prefix")]
    [InlineData("--store|file://otherhost/data", "names the host 'otherhost': a file URI is a path on this machine")]
    [InlineData("--config", "--config needs a file: --config detect.toml")]
    [InlineData("--config|missing.toml", "--config missing.toml: no such config file")]
    [MemberData(nameof(ExecutionOptionCases.Bad), MemberType = typeof(ExecutionOptionCases))]
    public async Task A_bad_run_option_or_parameter_is_a_usage_error_naming_it(string arguments, string message)
    {
        var args = arguments.Split('|');
        // The test store comes first so that a --store under test (given last) wins.
        var err = await UsageError(["run", nameof(AllTypes), "--store", Env.Store.Root, .. args]);
        err.Should().Contain(message);
    }

    [Theory]
    [InlineData("--name|../x", "RuledTask: --name '../x' holds a '/': it becomes part of a store key")]
    [InlineData("--name|..", "RuledTask: --name '..' holds '..'")]
    [InlineData("--name|", "RuledTask: --name '' is empty")]
    [InlineData("--name|.hidden", "does not start with a letter or digit")]
    [InlineData("--fraction|1.5", "RuledTask: --fraction 1.5 must be from 0 to 1")]
    [InlineData("--items|", "RuledTask: --items [] must not be empty")]
    [InlineData("--items|[]", "RuledTask: --items [] must not be empty")]
    [InlineData("--first|5|--last|3", "RuledTask: --first 5 is after --last 3: swap them")]
    public async Task A_parameter_that_breaks_its_declared_rule_is_a_usage_error(string arguments, string message)
    {
        var err = await UsageError(WithStore(["run", nameof(RuledTask), .. arguments.Split('|')]));
        err.Should().Contain(message);
    }

    [Fact]
    public async Task Rules_are_checked_for_family_parameters_of_other_tasks_too()
    {
        var err = await UsageError(WithStore("run", nameof(AllTypes), "--RuledTask-fraction", "-1"));
        err.Should().Contain("RuledTask: --fraction -1 must be from 0 to 1");
    }

    [Theory]
    [InlineData("deps|AllTypes|--format|dot", "--format 'dot' must be one of tree, mermaid")]
    [InlineData("runs|--limit|0", "--limit 0 must be at least 1")]
    [InlineData("export|cwl|AllTypes|--max-jobs-per-step|0|--output|out", "--max-jobs-per-step 0 must be at least 1")]
    [InlineData("runn|AllTypes", "Unknown command 'runn' (did you mean `run`?)")]
    [InlineData("run|AllTipes", "Unknown task 'AllTipes' (did you mean AllTypes?)")]
    [InlineData("run", "Name the task, e.g. `run DiamondTop`")]
    [InlineData("run|--workers|2", "Name the task")]
    [InlineData("describe", "describe needs a task name")]
    public async Task Other_verbs_report_their_bad_input_as_usage_errors(string arguments, string message)
    {
        var err = await UsageError([.. arguments.Split('|'), "--store", Env.Store.Root]);
        err.Should().Contain(message);
    }

    [Fact]
    public async Task A_store_path_under_a_regular_file_names_the_file()
    {
        var file = Path.Combine(Work, "a-file");
        File.WriteAllText(file, "not a folder");

        var err = await UsageError("run", nameof(AllTypes), "--store", Path.Combine(file, "store"));

        err.Should().Contain($"'{file}' is a regular file, not a folder").And.Contain("Choose a path whose parents are folders");
    }

    [Fact]
    public async Task A_bad_value_from_the_environment_names_the_variable()
    {
        Variables["DETECT_WORKERS"] = "0";
        (await UsageError(WithStore("run", nameof(AllTypes)))).Should().Contain("--workers 0 (from environment DETECT_WORKERS) must be from 1 to 4096");

        Variables["DETECT_WORKERS"] = "four";
        (await UsageError(WithStore("run", nameof(AllTypes)))).Should().Contain("DETECT_WORKERS=four: expected");

        Variables.Remove("DETECT_WORKERS");
        Variables["DETECT_STORE"] = "gopher://x";
        (await UsageError("run", nameof(AllTypes))).Should().Contain("'gopher://x' has the scheme 'gopher://'");
    }

    [Theory]
    [InlineData("[core]\nwrokers = 2\n", "detect.toml:2: unknown key 'wrokers' in [core] (did you mean 'workers'?). [core] takes: store, verbose, log_format")]
    [InlineData("[AllTipes]\ncount = 2\n", "detect.toml:1: unknown section [AllTipes] (did you mean [AllTypes]?)")]
    [InlineData("[core]\nworkers = 2\n[alltypes]\ncount = 2\n", "detect.toml:3: unknown section [alltypes] (did you mean [AllTypes]?)")]
    [InlineData("[AllTypes]\ncolour = \"red\"\n", "detect.toml:2: [AllTypes] has no parameter 'colour'. Its parameters: count, enabled, flavour")]
    [InlineData("[AllTypes]\ncount = \"three\"\n", "detect.toml:2: [AllTypes] count = 'three': AllTypes: parameter --count got 'three'")]
    [InlineData("[AllTypes]\nflavour = \"sour\"\n", "detect.toml:2: [AllTypes] flavour = 'sour'")]
    [InlineData("[RuledTask]\nfraction = 2.5\n", "detect.toml:2: [RuledTask] fraction = '2.5': RuledTask: --fraction 2.5 must be from 0 to 1")]
    [InlineData("[core]\nworkers = 0\n", "--workers 0 (from detect.toml:2 [core]) must be from 1 to 4096")]
    [InlineData("[core]\nlog_format = \"jsn\"\n", "--log-format 'jsn' (from detect.toml:2 [core]) must be one of text, json")]
    [InlineData("[core]\nworkers = \"many\"\n", "detect.toml:2: [core] workers = 'many': expected")]
    [InlineData("[core]\nworkers =\n", "detect.toml:2:")]
    [InlineData("workers = 2\n[core]\n", "detect.toml:1: 'workers' stands before any section: put run options under [core]")]
    [InlineData("[core]\nworkers = 2\n[core]\nretries = 1\n", "detect.toml:3: The key `core` is already defined")]
    [InlineData("[core]\nworkers = 2\nworkers = 3\n", "detect.toml:3:")]
    [InlineData("[core.sub]\nx = 1\n", "detect.toml:1: [core.sub] is not a plain section")]
    [InlineData("[AllTypes]\nstart_date = 2019-01-01T10:00:00Z\n", "detect.toml:2: [AllTypes] start_date is a date-time: write a date YYYY-MM-DD")]
    public async Task A_bad_config_file_is_a_usage_error_naming_file_line_and_key(string toml, string message)
    {
        Config(toml);
        var err = await UsageError(WithStore("run", nameof(AllTypes)));
        err.Should().Contain(message);
    }

    [Fact]
    public async Task Config_files_named_by_the_environment_or_twice_in_the_folder_are_checked()
    {
        Variables["DETECT_CONFIG"] = Path.Combine(Work, "nope.toml");
        (await UsageError(WithStore("run", nameof(AllTypes)))).Should().Contain("DETECT_CONFIG").And.Contain("no such config file");

        Variables["DETECT_CONFIG"] = Work;
        (await UsageError(WithStore("run", nameof(AllTypes)))).Should().Contain("is a folder: name the config file");

        Variables.Remove("DETECT_CONFIG");
        Config("[core]\nworkers = 2\n");
        Config("[core]\nworkers = 3\n", "detect.cfg");
        (await UsageError(WithStore("run", nameof(AllTypes)))).Should().Contain("exist and they are not merged: keep one");
    }

    [Fact]
    public async Task An_unexpected_exception_is_one_line_without_a_trace_and_exits_1_with_the_trace_under_verbose()
    {
        var (code, _, err) = await Detect(WithStore("run", nameof(BuggyCheck)));

        code.Should().Be(CliApp.Failure);
        err.Trim().Should().Be("error: the check broke (InvalidOperationException: an unexpected error; run again with -v for the details).");
        FilesWritten().Should().BeEmpty();

        var (verboseCode, _, verbose) = await Detect(WithStore("run", nameof(BuggyCheck), "-v"));
        verboseCode.Should().Be(CliApp.Failure);
        verbose.Should().Contain("details below").And.Contain("   at ").And.Contain(nameof(BuggyCheck.ValidateParameters));
    }

    [Fact]
    public async Task Status_exits_1_until_the_task_is_complete_then_0()
    {
        (await Detect(WithStore("status", nameof(DiamondTop), "--scope", Env.Scope))).Code.Should().Be(CliApp.Failure);
        (await Detect(WithStore("run", nameof(DiamondTop), "--scope", Env.Scope))).Code.Should().Be(CliApp.Success);
        var (code, output, _) = await Detect(WithStore("status", nameof(DiamondTop), "--scope", Env.Scope));
        code.Should().Be(CliApp.Success);
        output.Should().Contain("[complete]");
    }
}
