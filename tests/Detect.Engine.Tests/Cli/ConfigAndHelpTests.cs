
namespace Detect.Engine.Tests.Cli;

/// <summary>
/// The config file (detect.toml, --config, DETECT_CONFIG) and its precedence: command line > environment > config >
/// defaults, shown by `describe`; `describe` lists enum values and rules; `run &lt;Task&gt; --help` (and -h) exits 0.
/// </summary>
public sealed class ConfigAndHelpTests : IDisposable
{
    private readonly CliHarness _cli = new();
    private TempStore Env => _cli.Env;
    private string Work => _cli.Work;
    private Dictionary<string, string> Variables => _cli.Variables;

    public void Dispose() => _cli.Dispose();

    private Task<(int Code, string Out, string Err)> Detect(params string[] args) => _cli.RunAsync(args);

    private string Config(string text, string name = "detect.toml") => _cli.Config(text, name);

    /// <summary>The line `describe` prints for one parameter or option (its name padded, then value and source).</summary>
    private static string LineOf(string output, string name) =>
        output.Split('\n').Single(l => l.TrimStart().StartsWith(name + " ", StringComparison.Ordinal)).Trim();

    [Fact]
    public async Task Describe_shows_each_value_in_effect_and_where_it_comes_from()
    {
        Config("""
               [core]
               workers = 3
               retries = 2
               log_format = "json"

               [AllTypes]
               count = 7
               text = "from the file"
               flavour = "extra-spicy"
               tags = ["a", "b"]
               """);
        Variables["DETECT_WORKERS"] = "5";

        var (code, output, err) = await Detect("describe", nameof(AllTypes), "--text", "typed", "--retries", "4");

        code.Should().Be(0, err);
        output.Should().Contain($"Config: {Path.Combine(Work, "detect.toml")} (from the working directory).");
        LineOf(output, "--text").Should().MatchRegex(@"string\s+typed\s+\(command line\)$");
        LineOf(output, "--count").Should().MatchRegex(@"int\s+7\s+\(detect.toml:7 \[AllTypes\]\)$");
        LineOf(output, "--flavour").Should().MatchRegex(@"extra-spicy\s+\(detect.toml:9 \[AllTypes\]\)$");
        LineOf(output, "--tags").Should().MatchRegex(@"\[""a"",""b""\]\s+\(detect.toml:10 \[AllTypes\]\)$");
        LineOf(output, "--ratio").Should().MatchRegex(@"0.5\s+\(default\)$");
        var parameters = output[..output.IndexOf("Run options", StringComparison.Ordinal)];
        var options = output[output.IndexOf("Run options", StringComparison.Ordinal)..];
        LineOf(parameters, "--workers").Should().MatchRegex(@"int\s+1\s+\(default\)\s+\(insignificant\)$", "AllTypes' own --workers parameter is not the run option");
        LineOf(options, "--workers").Should().MatchRegex(@"^--workers\s+5\s+\(environment DETECT_WORKERS\)$", "the environment beats the file");
        LineOf(options, "--retries").Should().MatchRegex(@"^--retries\s+4\s+\(command line\)$", "the command line beats the file");
        LineOf(options, "--log-format").Should().MatchRegex(@"^--log-format\s+json\s+\(detect.toml:4 \[core\]\)$");
        LineOf(options, "--lease-ttl").Should().MatchRegex(@"^--lease-ttl\s+60\s+\(default\)$");
    }

    [Fact]
    public async Task A_family_option_on_the_command_line_beats_the_config_section()
    {
        Config("[AllTypes]\ncount = 7\n");

        var (_, output, _) = await Detect("describe", nameof(AllTypes), "--AllTypes-count", "9");

        LineOf(output, "--count").Should().MatchRegex(@"int\s+9\s+\(command line --AllTypes-count\)$");
    }

    [Fact]
    public async Task Config_named_by_option_or_variable_is_read_and_run_uses_its_store_and_task_sections()
    {
        var store = Path.Combine(Env.Root, "from-config");
        var file = Config($"[core]\nstore = \"{store}\"\n\n[Step]\nfail_times = 0\n[DiamondTop]\nscope = \"{Env.Scope}\"\n", "other.toml");

        var (code, output, err) = await Detect("run", nameof(DiamondTop), "--config", file, "--cache-dir", Env.Cache);

        code.Should().Be(0, err + output);
        output.Should().Contain("5 ran");
        File.Exists(Path.Combine(store, "runs", Env.Scope, "top.txt")).Should().BeTrue("the run wrote to [core] store");

        Variables["DETECT_CONFIG"] = file;
        var (describeCode, described, _) = await Detect("describe", nameof(DiamondTop));
        describeCode.Should().Be(0);
        described.Should().Contain($"Config: {file} (from DETECT_CONFIG).");
        LineOf(described, "--scope").Should().Contain($"{Env.Scope}  (other.toml:7 [DiamondTop])");
    }

    [Fact]
    public async Task Describe_lists_enum_values_and_declared_rules()
    {
        var (code, output, _) = await Detect("describe", nameof(RuledTask));
        code.Should().Be(0);
        output.Should().Contain("Config: none");
        output.Should().Contain("from 0 to 1").And.Contain("a name: letters, digits, '.', '_', '-'").And.Contain("not empty");

        var (_, allTypes, _) = await Detect("describe", nameof(AllTypes));
        allTypes.Should().Contain("one of plain, extra-spicy");
    }

    [Theory]
    [InlineData("run", "--help")]
    [InlineData("run", "-h")]
    [InlineData("deps", "--help")]
    [InlineData("status", "-h")]
    public async Task Help_after_a_task_lists_its_parameters_and_the_verbs_options_and_exits_0(string verb, string help)
    {
        var (code, output, err) = await Detect(verb, nameof(AllTypes), "--count", "2", help, "--store", Env.Store.Root);

        code.Should().Be(0, err);
        err.Should().BeEmpty();
        output.Should().StartWith($"usage: detect {verb} AllTypes [--parameter value ...] [options]");
        output.Should().Contain("--flavour").And.Contain("one of plain, extra-spicy").And.Contain("--start-date").And.Contain("a text");
        output.Should().Contain($"Options of `{verb}`:").And.Contain("--store").And.Contain("env DETECT_STORE");
        Directory.EnumerateFiles(Env.Root, "*", SearchOption.AllDirectories).Should().BeEmpty("help runs nothing");
    }

    [Fact]
    public async Task Run_help_shows_the_rules_and_defaults_of_the_run_options()
    {
        var (_, output, _) = await Detect("run", nameof(AllTypes), "--help");

        output.Should().MatchRegex(@"--workers INT\s+Tasks run in parallel. \(default 1; from 1 to 4096; env DETECT_WORKERS\)");
        output.Should().MatchRegex(@"--log-format STRING\s+.*one of text, json; env DETECT_LOG_FORMAT");
    }

    [Fact]
    public async Task Verbs_without_a_task_have_help_too()
    {
        var (code, output, _) = await Detect("runs", "--help");
        code.Should().Be(0);
        output.Should().StartWith("usage: detect runs [options]").And.Contain("--limit");
    }
}
