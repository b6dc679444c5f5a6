using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Detect.Engine.Parameters;

namespace Detect.Engine.Tests.Tasks;

/// <summary>
/// Task ids: family, the values that tell instances apart (at most 3, 16 characters each, as Luigi's
/// task_id_str) and the hash of every significant parameter — the hash exactly as the first version computed it
/// (family + sorted significant parameters as a JsonSerializer-written object, sha256); the first version's whole
/// id (<see cref="WorkflowTask.LegacyTaskId"/>) stays available, e.g. as the input of run ids.
/// </summary>
public sealed class TaskIdentityTests
{
    [Theory]
    [InlineData("hello", 3, 0.5, "plain")]
    [InlineData("", 0, 0.0, "extra-spicy")]
    [InlineData("ünïcödé and spaces", -7, 1e-300, "plain")]
    [InlineData("quotes \" and <html> & 'apostrophes' + plus \\ backslash", int.MaxValue, double.MaxValue, "plain")]
    [InlineData("a-very-long-value-that-goes-on-and-on-past-twenty-four-characters/with/slashes", 42, -0.1, "extra-spicy")]
    public void Ids_are_those_of_the_first_implementation(string text, int count, double ratio, string flavour)
    {
        var task = (AllTypes)Detect.Engine.Scheduling.TaskBuilder.Create(Detect.Engine.TaskSchema.Of(typeof(AllTypes)), new Dictionary<string, string>
        {
            ["text"] = text, ["count"] = count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ratio"] = ratio.ToString("R", System.Globalization.CultureInfo.InvariantCulture), ["flavour"] = flavour,
            ["tags"] = "x,\"y\",zé", ["weights"] = "1.5,2", ["enabled"] = "true", ["period"] = "2020-01-01-2020-02-01",
        });

        task.LegacyTaskId.Should().Be(FirstImplementation(task));
        task.TaskId[^11..].Should().Be(FirstImplementation(task)[^11..], "only the readable part changed, never the hash");
    }

    [Fact]
    public void The_legacy_id_of_a_task_with_many_long_parameters_is_cut_to_its_readable_limit_as_before()
    {
        var step = new Step { Scope = new string('s', 40), Name = new string('n', 40), Graph = string.Join(";", Enumerable.Range(0, 30).Select(i => $"n{i}:m{i}")) };
        step.LegacyTaskId.Should().Be(FirstImplementation(step));
        new Root { Scope = "", Names = [] }.LegacyTaskId.Should().Be(FirstImplementation(new Root { Scope = "", Names = [] }));
    }

    [Fact]
    public void The_id_shows_at_most_three_values_of_16_characters_in_parameter_order()
    {
        var step = new Step { Scope = new string('s', 40), Name = new string('n', 40), Graph = "a:b;c:d" };
        var hash = FirstImplementation(step)[^10..];

        step.TaskId.Should().Be($"Step_a_b_c_d_{new string('n', 16)}_{new string('s', 16)}_{hash}");
        new Step { Scope = "x", Name = "y" }.TaskId.Should().StartWith("Step_y_x_");
    }

    [Fact]
    public void Values_equal_to_the_class_default_are_left_out_so_the_id_shows_what_tells_instances_apart()
    {
        new AllTypes().TaskId.Should().MatchRegex("^AllTypes__[0-9a-f]{10}$");
        var oneChanged = new AllTypes { Count = 7 };
        oneChanged.TaskId.Should().Be("AllTypes_7_" + FirstImplementation(oneChanged)[^10..]);
        new AllTypes { Count = 7, Text = "Bali, Indonesia", Flavour = Flavour.ExtraSpicy, Ratio = 2 }.TaskId
            .Should().MatchRegex("^AllTypes_7_extra-spicy_2_[0-9a-f]{10}$", "count, flavour, ratio come before text; three at most");
    }

    [Fact]
    public void Parameters_the_task_names_come_first_shown_even_at_their_default_and_up_to_24_characters()
    {
        new NamedIdTask().TaskId.Should().MatchRegex("^NamedIdTask_32750_x0012_y0034_[0-9a-f]{10}$");
        new NamedIdTask { Region = "a_region_whose_name_goes_on", Tile = "32750_x0001_y0002" }.TaskId
            .Should().MatchRegex("^NamedIdTask_32750_x0001_y0002_a_region_whose_n_[0-9a-f]{10}$", "the tile stays whole; the region is cut to 16");
        new NamedIdTask { Tile = new string('t', 30) }.TaskId.Should().StartWith("NamedIdTask_" + new string('t', 24) + "_");
    }

    [Fact]
    public void A_named_parameter_that_is_not_a_significant_parameter_is_a_programming_error_naming_it()
    {
        var act = () => TaskSchema.Of(typeof(BadNamedIdTask));
        act.Should().Throw<InvalidOperationException>().WithMessage("*BadNamedIdTask*'Workers'*not a significant parameter*");
    }

    [Fact]
    public void Per_family_defaults_do_not_change_what_counts_as_a_default_value()
    {
        var defaults = new ParameterDefaults();
        defaults.Set(nameof(AllTypes), nameof(AllTypes.Count), 9);
        using (defaults.Activate()) new AllTypes().TaskId.Should().StartWith("AllTypes_9_");
        new AllTypes().TaskId.Should().StartWith("AllTypes__");
    }

    [TaskIdParameters(nameof(Tile))]
    public sealed class NamedIdTask : WorkflowTask
    {
        [Parameter] public string Tile { get; init; } = "32750_x0012_y0034";
        [Parameter] public string Region { get; init; } = "";
        public override Task RunAsync(TaskContext context) => Task.CompletedTask;
    }

    [TaskIdParameters(nameof(Workers))]
    public abstract class BadNamedIdTask : WorkflowTask // abstract: registries of this assembly leave it out
    {
        [Parameter(Significant = false)] public int Workers { get; init; }
        public override Task RunAsync(TaskContext context) => Task.CompletedTask;
    }

    /// <summary>The id algorithm as first written (System.Text.Json over a dictionary, one-shot SHA-256, LINQ).</summary>
    private static string FirstImplementation(WorkflowTask task)
    {
        var parameters = task.Schema.Parameters.Where(p => p.Significant)
            .Select(p => new KeyValuePair<string, string>(ParameterParsing.ToSnake(p.KebabName), ParameterParsing.Canonical(p.GetValue(task))))
            .ToList();
        var json = JsonSerializer.Serialize(parameters.ToDictionary(p => p.Key, p => p.Value));
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(task.Family + json)))[..10];
        static string Sanitize(string value)
        {
            var sb = new StringBuilder(Math.Min(value.Length, 24));
            foreach (var c in value.Take(24)) sb.Append(char.IsLetterOrDigit(c) || c is '-' or '.' ? c : '_');
            return sb.ToString();
        }
        var readable = string.Join("_", parameters.Select(p => Sanitize(p.Value)).Where(v => v.Length > 0));
        if (readable.Length > 120) readable = readable[..120];
        return readable.Length == 0 ? $"{task.Family}__{hash}" : $"{task.Family}_{readable}_{hash}";
    }
}
