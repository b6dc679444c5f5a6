using Detect.Engine.Cli.Config;
using Detect.Engine.Parameters;

namespace Detect.Engine.Tests.Cli.Config;

/// <summary>TOML values become parameter text with their line; anything but plain sections of plain keys is refused.</summary>
public sealed class ConfigFileTests
{
    [Fact]
    public void Every_value_kind_becomes_the_text_a_parameter_parses_and_keeps_its_line()
    {
        var file = ConfigFile.Parse("""
            # comment
            [core]
            store = "s3://bucket/prefix"
            workers = 4
            retry_delay = 0.25
            verbose = true

            [Heatmap]
            start_date = 2019-01-01
            'quoted key' = "x"
            tags = ["a", "b c"]
            weights = [1, 2.5]
            """, "/etc/detect/detect.toml");

        file.Name.Should().Be("detect.toml");
        file.Sections.Should().Equal(new Dictionary<string, int> { ["core"] = 2, ["Heatmap"] = 8 });
        file.Entries.Select(e => (e.Section, e.Key, e.Text, e.Line)).Should().Equal(
            ("core", "store", "s3://bucket/prefix", 3),
            ("core", "workers", "4", 4),
            ("core", "retry_delay", "0.25", 5),
            ("core", "verbose", "true", 6),
            ("Heatmap", "start_date", "2019-01-01", 9),
            ("Heatmap", "quoted key", "x", 10),
            ("Heatmap", "tags", "[\"a\",\"b c\"]", 11),
            ("Heatmap", "weights", "[\"1\",\"2.5\"]", 12));
        file.Entries[4].Where.Should().Be("detect.toml:9");
        ParameterParsing.TryParse(typeof(double[]), file.Entries[7].Text, out var weights).Should().BeTrue();
        weights.Should().BeEquivalentTo(new[] { 1.0, 2.5 });
    }

    [Theory]
    [InlineData("[core]\nworkers = { n = 1 }\n", "detect.toml:2: [core] workers has a value of a kind Detect does not read (an inline table?)")]
    [InlineData("[[core]]\nworkers = 1\n", "detect.toml:1: [core] is not a plain section")]
    [InlineData("[core]\na.b = 1\n", "detect.toml:2: dotted keys are not used in [core]")]
    [InlineData("[core]\nstore = s3://x\n", "detect.toml:2:")]
    [InlineData("[core]\nstart = 2019-01-01T00:00:00\n", "detect.toml:2: [core] start is a date-time")]
    public void What_is_not_a_plain_key_value_is_refused_with_file_and_line(string toml, string message)
    {
        var act = () => ConfigFile.Parse(toml, "detect.toml");
        act.Should().Throw<ParameterException>().Which.Message.Should().Contain(message);
    }

    [Fact]
    public void An_empty_file_has_no_sections()
    {
        var file = ConfigFile.Parse("# nothing yet\n", "detect.toml");
        file.Sections.Should().BeEmpty();
        file.Entries.Should().BeEmpty();
    }
}
