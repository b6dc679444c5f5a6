using Detect.Engine;
using Detect.Engine.Parameters;
using Detect.Engine.Scheduling;
using Detect.Tasks.Inference;
using Detect.Tasks.Pipeline;
using DetectTask = Detect.Tasks.Pipeline.Detect;

namespace Detect.Tasks.Tests.Pipeline;

/// <summary>
/// Parameters passed on, not copied (issue 14): every default of the pipeline is written once (on
/// <see cref="DetectTask"/>, or the one task that owns it) and the graph passes values on by name
/// (<c>Clone</c>), so a value given to Detect reaches every task below it.
/// </summary>
public sealed class ParameterPassingTests
{
    private static readonly TaskRegistry Registry = new(TasksAssembly.Assembly);

    private static bool IsEmpty(object? value) => value switch
    {
        null => true,
        string s => s.Length == 0,
        Array a => a.Length == 0,
        _ => value.Equals(Activator.CreateInstance(value.GetType())),
    };

    [Fact]
    public void No_parameter_default_of_the_tasks_is_written_twice()
    {
        var owners = new Dictionary<string, HashSet<Type>>(StringComparer.Ordinal);
        foreach (var schema in Registry.All)
        {
            var task = (WorkflowTask)Activator.CreateInstance(schema.Type)!;
            foreach (var p in schema.Parameters.Where(p => !IsEmpty(p.GetValue(task))))
            {
                if (!owners.TryGetValue(p.Name, out var set)) owners[p.Name] = set = [];
                set.Add(schema.DefaultOwnerOf(p));
            }
        }
        owners.Should().NotBeEmpty();
        owners.Where(o => o.Value.Count > 1).Select(o => $"{o.Key}: {string.Join(", ", o.Value.Select(t => t.Name))}")
            .Should().BeEmpty("each default has one owner; other tasks take it with [Inherits]");
        owners["Model"].Should().Equal(typeof(DetectTask));
        owners["SpectrogramInterval"].Should().Equal(typeof(DetectTask));
    }

    [Fact]
    public void A_task_that_inherits_a_default_writes_none_of_its_own()
    {
        foreach (var schema in Registry.All)
        {
            var own = schema.CreateWithOwnDefaultsOnly();
            foreach (var p in schema.Parameters.Where(p => schema.DefaultOwnerOf(p) != p.Property.DeclaringType))
                IsEmpty(p.GetValue(own)).Should().BeTrue($"{schema.Family}.{p.Name} takes its default from {schema.DefaultOwnerOf(p).Name}");
        }
    }

    [Fact]
    public void Inherited_defaults_are_the_original_pipelines()
    {
        var heatmap = new Heatmap();
        heatmap.Model.Should().Be("spectrogram_v0.0.11_2021-07-13");
        heatmap.SpectrogramInterval.Should().Be(2);
        heatmap.Roi.Should().Be("test_patch");
        heatmap.StartDate.Should().Be(new DateOnly(2019, 1, 1));
        heatmap.EndDate.Should().Be(new DateOnly(2021, 6, 1));
        heatmap.MosaicPeriod.Should().Be(3);
        heatmap.Imagery.Should().Be("store");
        new PatchTile().PatchModel.Should().Be("v1.1.0_4-23-21_patch_classifier_45px_patch");
        new GenerateContoursForSite().EnsembleModel.Should().Be("v0.0.11_ensemble-8-25-21");
        new SitePatch().RectWidth.Should().Be(0.008);
        new BlobDetect().PredThreshold.Should().Be(0.75);
    }

    [Fact]
    public void Values_given_to_Detect_reach_every_task_below_it()
    {
        var detect = new DetectTask
        {
            Roi = "bali", Model = "other-model", SpectrogramInterval = 3, StartDate = new(2020, 1, 1), MosaicPeriod = 2,
            Device = InferenceDevice.Cpu, Imagery = "earth-search", RectWidth = 0.01,
        };
        var final = detect.Final;
        final.RunId.Should().Be(detect.ResolvedRunId);
        var heatmaps = Walk(final).OfType<Heatmaps>().Single();
        var heatmap = heatmaps.TileTask("32750_x0012_y0034");
        heatmap.Should().BeEquivalentTo(new { Roi = "bali", Model = "other-model", SpectrogramInterval = 3, StartDate = new DateOnly(2020, 1, 1),
            MosaicPeriod = 2, Device = InferenceDevice.Cpu, Imagery = "earth-search", RunId = detect.ResolvedRunId, Tile = "32750_x0012_y0034" },
            o => o.ExcludingMissingMembers());
        heatmap.Mosaics.Scenes.Should().BeEquivalentTo(new { Roi = "bali", Tile = "32750_x0012_y0034", Imagery = "earth-search" }, o => o.ExcludingMissingMembers());
        heatmap.Requires().OfType<global::Detect.Tasks.Models.ModelFile>().Single().Model.Should().Be("other-model");
        Walk(final).OfType<PatchClassifier>().Single().Device.Should().Be(InferenceDevice.Cpu);
        var contours = final.Clone(() => new GenerateContoursForSite { Site = "site_1", Lon = 115.3, Lat = -8.5 });
        contours.Should().BeEquivalentTo(new { RunId = detect.ResolvedRunId, RectWidth = 0.01, SpectrogramInterval = 3, StartDate = new DateOnly(2020, 1, 1) },
            o => o.ExcludingMissingMembers());
    }

    [Fact]
    public void A_per_family_value_reaches_that_family_through_the_graph()
    {
        var defaults = new ParameterDefaults();
        defaults.Set(nameof(Heatmap), nameof(Heatmap.Device), InferenceDevice.Cpu);
        using (defaults.Activate())
        {
            var heatmaps = Walk(new DetectTask().Final).OfType<Heatmaps>().Single();
            heatmaps.Device.Should().Be(InferenceDevice.Auto);
            heatmaps.TileTask("32750_x0012_y0034").Device.Should().Be(InferenceDevice.Cpu, "--Heatmap-device cpu sets every Heatmap");
        }
    }

    private static IEnumerable<WorkflowTask> Walk(WorkflowTask root)
    {
        var seen = new HashSet<string>();
        var stack = new Stack<WorkflowTask>([root]);
        while (stack.TryPop(out var task))
        {
            if (!seen.Add(task.TaskId)) continue;
            yield return task;
            foreach (var r in task.Requires()) stack.Push(r);
        }
    }
}
