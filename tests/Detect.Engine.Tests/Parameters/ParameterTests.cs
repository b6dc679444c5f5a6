using Detect.Engine.Parameters;
using Detect.Engine.Scheduling;

namespace Detect.Engine.Tests.Parameters;

public sealed class ParameterTests
{
    private static readonly TaskSchema Schema = TaskSchema.Of(typeof(AllTypes));

    private static AllTypes Make(params (string Name, string Value)[] values) =>
        (AllTypes)TaskBuilder.Create(Schema, values.ToDictionary(v => v.Name, v => v.Value));

    [Fact]
    public void Every_type_parses_from_its_text_form()
    {
        var task = Make(("text", "bali"), ("count", "12"), ("ratio", "0.0025"), ("enabled", "true"),
            ("start-date", "2020-02-29"), ("period", "2019-01-01-2021-06-01"), ("flavour", "extra-spicy"),
            ("tags", "a,b ,c"), ("weights", "[0.5, 1e-3]"));

        task.Text.Should().Be("bali");
        task.Count.Should().Be(12);
        task.Ratio.Should().Be(0.0025);
        task.Enabled.Should().BeTrue();
        task.StartDate.Should().Be(new DateOnly(2020, 2, 29));
        task.Period.Should().Be(new DateInterval(new(2019, 1, 1), new(2021, 6, 1)));
        task.Flavour.Should().Be(Flavour.ExtraSpicy);
        task.Tags.Should().Equal("a", "b", "c");
        task.Weights.Should().Equal(0.5, 0.001);
    }

    [Fact]
    public void Unset_parameters_keep_their_defaults()
    {
        var task = Make();
        task.Text.Should().Be("hello");
        task.Count.Should().Be(3);
        task.StartDate.Should().Be(new DateOnly(2019, 1, 1));
        task.Tags.Should().BeEmpty();
    }

    [Theory]
    [InlineData("start-date", "2019-13-45", "--start-date", "YYYY-MM-DD")]
    [InlineData("count", "three", "--count", "integer")]
    [InlineData("ratio", "NaN", "--ratio", "number")]
    [InlineData("enabled", "maybe", "--enabled", "true or false")]
    [InlineData("flavour", "sweet", "--flavour", "plain, extra-spicy")]
    [InlineData("period", "2021-01-01-2019-01-01", "--period", "YYYY-MM-DD-YYYY-MM-DD")]
    public void A_value_of_the_wrong_form_names_the_parameter_and_the_expected_form(string name, string value, string named, string form)
    {
        var act = () => Make((name, value));
        act.Should().Throw<ParameterException>().Which.Message.Should().Contain(named).And.Contain(form).And.Contain(value);
    }

    [Fact]
    public void An_unknown_parameter_is_named_with_the_known_ones()
    {
        var act = () => Make(("colour", "red"));
        act.Should().Throw<ParameterException>().Which.Message.Should().Contain("--colour").And.Contain("--start-date");
    }

    [Fact]
    public void Equal_parameters_give_the_same_task_id_whatever_their_spelling()
    {
        var a = Make(("ratio", "0.50"), ("start-date", "2019-01-01"), ("tags", "x,y"));
        var b = Make(("ratio", ".5"), ("start_date", "2019-01-01"), ("tags", "[\"x\",\"y\"]"));
        var c = new AllTypes { Ratio = 0.5, Tags = ["x", "y"] };

        a.TaskId.Should().Be(b.TaskId).And.Be(c.TaskId);
        a.Should().Be(b);
        a.GetHashCode().Should().Be(c.GetHashCode());
    }

    [Fact]
    public void Different_parameters_give_different_task_ids()
    {
        Make(("count", "1")).TaskId.Should().NotBe(Make(("count", "2")).TaskId);
        Make(("tags", "a,b")).TaskId.Should().NotBe(Make(("tags", "b,a")).TaskId);
    }

    [Fact]
    public void Insignificant_parameters_are_not_part_of_the_id()
    {
        Make(("workers", "8")).TaskId.Should().Be(Make(("workers", "1")).TaskId);
        Make().SignificantParameters().Select(p => p.Key).Should().NotContain("workers");
    }

    [Fact]
    public void The_task_id_is_stable_across_processes_family_then_values_then_a_short_hash()
    {
        // A fixed expectation: the id is a pure function of family and canonical parameter text.
        var id = new Step { Scope = "s", Name = "n" }.TaskId;
        id.Should().MatchRegex("^Step_.*_[0-9a-f]{10}$");
        id.Should().Be(new Step { Name = "n", Scope = "s" }.TaskId);
        id.Should().Be("Step_n_s_" + id[^10..]);
        var hashAgain = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
            "Step" + "{\"fail_times\":\"0\",\"graph\":\"\",\"name\":\"n\",\"scope\":\"s\"}".Replace("\"fail_times\":\"0\",", "")));
        id[^10..].Should().Be(Convert.ToHexStringLower(hashAgain)[..10]);
    }

    [Theory]
    [InlineData("StartDate", "start-date")]
    [InlineData("RunId", "run-id")]
    [InlineData("MinSigma", "min-sigma")]
    [InlineData("HTTPTimeout", "http-timeout")]
    [InlineData("pred_threshold", "pred-threshold")]
    public void Property_names_become_kebab_case(string name, string kebab) => ParameterParsing.ToKebab(name).Should().Be(kebab);

    [Fact]
    public void Per_family_defaults_replace_class_defaults_but_not_explicit_values()
    {
        var defaults = new ParameterDefaults();
        defaults.Set(nameof(AllTypes), nameof(AllTypes.Count), 42);
        using (defaults.Activate())
        {
            new AllTypes().Count.Should().Be(42);
            new AllTypes { Count = 7 }.Count.Should().Be(7);
            Make(("count", "9")).Count.Should().Be(9);
        }
        new AllTypes().Count.Should().Be(3);
    }
}
