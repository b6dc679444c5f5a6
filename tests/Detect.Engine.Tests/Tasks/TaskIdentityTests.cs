using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Detect.Engine.Parameters;

namespace Detect.Engine.Tests.Tasks;

/// <summary>
/// Task ids key every store: the fast id computation must give exactly the ids the first version gave
/// (family + sorted significant parameters as a JsonSerializer-written object, sha256, readable prefix).
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

        task.TaskId.Should().Be(FirstImplementation(task));
    }

    [Fact]
    public void A_task_with_many_long_parameters_is_cut_to_the_readable_limit_as_before()
    {
        var step = new Step { Scope = new string('s', 40), Name = new string('n', 40), Graph = string.Join(";", Enumerable.Range(0, 30).Select(i => $"n{i}:m{i}")) };
        step.TaskId.Should().Be(FirstImplementation(step));
        new Root { Scope = "", Names = [] }.TaskId.Should().Be(FirstImplementation(new Root { Scope = "", Names = [] }));
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
