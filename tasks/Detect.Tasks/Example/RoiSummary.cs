using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Detect.Engine;
using Detect.Engine.Parameters;
using Detect.Tasks.Pipeline;

namespace Detect.Tasks.Example;

/// <summary>
/// The small example graph `detect demo` runs until the full Detect graph is wired: reads the ROI from the
/// store and writes its bounding box and vertex count.
/// </summary>
[Description("example: bounding box and vertex count of a region of interest")]
public sealed class RoiSummary : WorkflowTask, IDescribesResults
{
    [Parameter(Help = "region of interest name")] public string Roi { get; init; } = "test_patch";

    public override IEnumerable<WorkflowTask> Requires() => [new RoiFile { Roi = Roi }];
    public override IEnumerable<Target> Output() => [new StoreTarget($"examples/{Roi}/roi_summary.json")];

    public override async Task RunAsync(TaskContext context)
    {
        var geojson = JsonNode.Parse(await context.ReadTextAsync(Requires().Single().Output().Single()))
            ?? throw new InvalidDataException($"boundaries/{Roi}.geojson is empty.");
        double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
        var vertices = 0;
        void Visit(JsonNode? node)
        {
            if (node is not JsonArray array) return;
            if (array.Count >= 2 && array[0] is JsonValue && array[1] is JsonValue)
            {
                var x = array[0]!.GetValue<double>();
                var y = array[1]!.GetValue<double>();
                (minX, minY, maxX, maxY) = (Math.Min(minX, x), Math.Min(minY, y), Math.Max(maxX, x), Math.Max(maxY, y));
                vertices++;
                return;
            }
            foreach (var child in array) Visit(child);
        }
        foreach (var feature in geojson["features"]?.AsArray() ?? [])
            Visit(feature?["geometry"]?["coordinates"]);
        if (vertices == 0) throw new InvalidDataException($"boundaries/{Roi}.geojson has no polygon coordinates.");
        var summary = new { roi = Roi, vertices, bbox = new[] { minX, minY, maxX, maxY } };
        await context.WriteTextAsync(Output().Single(), JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }));
    }

    public async Task<string> DescribeResultsAsync(TargetResolver targets, CancellationToken ct)
    {
        var output = Output().Single();
        var json = JsonNode.Parse(await targets.ReadTextAsync(output, ct))!;
        var bbox = json["bbox"]!.AsArray().Select(v => v!.GetValue<double>().ToString("0.####", CultureInfo.InvariantCulture));
        return $"{Roi}: {json["vertices"]} vertices, bbox [{string.Join(", ", bbox)}] → {targets.UriOf(output)}";
    }
}
