using Detect.Engine.Parameters;

namespace Detect.Engine.Tests.Tasks;

/// <summary>
/// Parameters passed on, not copied: <see cref="WorkflowTask.Clone{T}(Func{T})"/> (Luigi's clone) and
/// <see cref="InheritsAttribute"/> (Luigi's @inherits), with their precedence against per-family defaults.
/// </summary>
public sealed class CloneTests
{
    [Fact]
    public void Clone_sets_every_parameter_shared_by_name_and_type_and_the_initializer_wins()
    {
        var parent = new CloneParent { Region = "bali", Year = 2021, Model = "m2", Tile = "ignored" };

        var child = parent.Clone(() => new CloneChild { Tile = "t1" });

        child.Region.Should().Be("bali");
        child.Year.Should().Be(2021);
        child.Model.Should().Be("m2");
        child.Tile.Should().Be("t1", "a value set in the initializer wins over the copied one");
        child.Level.Should().Be(0.5, "a parameter the parent lacks keeps the child's default");
        child.Count.Should().Be(7, "a parameter of the same name but another type (string Count on the parent) is not copied");
    }

    [Fact]
    public void A_per_family_default_wins_over_the_copied_value_and_an_initializer_value_over_both()
    {
        var defaults = new ParameterDefaults();
        defaults.Set(nameof(CloneChild), nameof(CloneChild.Model), "from-command-line");
        defaults.Set(nameof(CloneChild), nameof(CloneChild.Region), "family-region");
        var parent = new CloneParent { Region = "bali", Model = "m2" };

        using (defaults.Activate())
        {
            var child = parent.Clone(() => new CloneChild { Region = "given" });
            child.Model.Should().Be("from-command-line");
            child.Region.Should().Be("given");
        }
    }

    [Fact]
    public void Only_the_task_being_cloned_to_gets_the_values_and_clones_nest()
    {
        var parent = new CloneParent { Region = "bali" };
        var outer = parent.Clone(() =>
        {
            var unrelated = new CloneParent();
            unrelated.Region.Should().Be("default-region", "a task of another type made meanwhile is not the clone");
            return new CloneChild();
        });
        outer.Region.Should().Be("bali");

        var grandchild = outer.Clone<CloneGrandchild>();
        grandchild.Region.Should().Be("bali");
        new CloneChild().Region.Should().Be("default-region", "nothing is left behind after a clone");
    }

    [Fact]
    public void Inherits_takes_the_defaults_from_the_owner_written_once_there()
    {
        var child = new CloneChild();
        child.Region.Should().Be("default-region");
        child.Year.Should().Be(2019);
        child.Model.Should().Be("default-model");
        child.Schema.DefaultOwnerOf(child.Schema.Find("model")!).Should().Be<CloneParent>();
        child.Schema.DefaultOwnerOf(child.Schema.Find("level")!).Should().Be<CloneChild>();

        var own = (CloneChild)child.Schema.CreateWithOwnDefaultsOnly();
        own.Model.Should().Be("", "the child writes no default of its own for what it inherits");
        own.Year.Should().Be(0);
        own.Level.Should().Be(0.5);
    }

    [Fact]
    public void Inherited_defaults_count_as_class_defaults_for_the_task_id_and_describe()
    {
        new CloneChild().TaskId.Should().MatchRegex("^CloneChild__[0-9a-f]{10}$");
        var defaults = new ParameterDefaults();
        defaults.Set(nameof(CloneChild), nameof(CloneChild.Year), 2030);
        using (defaults.Activate()) new CloneChild().Year.Should().Be(2030, "per-family defaults win over inherited ones");
    }

    public sealed class CloneParent : WorkflowTask
    {
        [Parameter] public string Region { get; init; } = "default-region";
        [Parameter] public int Year { get; init; } = 2019;
        [Parameter] public string Model { get; init; } = "default-model";
        [Parameter] public string Tile { get; init; } = "";
        [Parameter] public string Count { get; init; } = "many";
        public override Task RunAsync(TaskContext context) => Task.CompletedTask;
    }

    [Inherits(typeof(CloneParent))]
    public class CloneChild : WorkflowTask
    {
        [Parameter] public string Region { get; init; } = "";
        [Parameter] public int Year { get; init; }
        [Parameter] public string Model { get; init; } = "";
        [Parameter] public string Tile { get; init; } = "";
        [Parameter] public double Level { get; init; } = 0.5;
        [Parameter] public int Count { get; init; } = 7;
        public override Task RunAsync(TaskContext context) => Task.CompletedTask;
    }

    public sealed class CloneGrandchild : CloneChild;
}
