using Detect.Tasks.Inference;
using Detect.Tasks.Models;

namespace Detect.Tasks.Tests.Models;

/// <summary>
/// ONNX Runtime on the converted models agrees with an independent float64 NumPy forward pass over the Keras
/// weights (models-manifest/reference.py) on inputs whose outputs spread over (0, 1).
/// </summary>
[Collection(ConvertedModelsCollection.Name)]
public sealed class ModelAgreementTests(ConvertedModels models)
{
    private const double Tolerance = 1e-4;

    public static TheoryData<string> PixelModels() =>
        new(ModelManifest.Default.Models.Where(m => m.Kind != ModelKind.Patch).Select(m => m.Name));

    [Theory]
    [MemberData(nameof(PixelModels))]
    public void Pixel_model_agrees_with_float64_reference_on_10000_spread_inputs(string name)
    {
        var (inputs, reference) = Generate(name, 10_000, perSegment: 20);
        var scores = new float[reference.Length];
        new PixelModel(models.PathOf(name), new InferenceSettings { Device = InferenceDevice.Cpu, PixelBatch = 4096 })
            .Predict(inputs, scores);

        AssertSpread(reference);
        MaxAbsDifference(scores, reference).Should().BeLessThanOrEqualTo(Tolerance);
    }

    [Fact]
    public void Patch_model_agrees_with_float64_reference_on_10000_spread_inputs()
    {
        const string name = "v1.1.0_4-23-21_patch_classifier_45px_patch";
        // 11.5 MFLOP per input in float64: ~1 min; long segments keep the output-spreading scans cheap.
        var (inputs, reference) = Generate(name, 10_000, perSegment: 200, chunk: 256);
        var scores = new float[reference.Length];
        new PatchModel(models.PathOf(name), new InferenceSettings { Device = InferenceDevice.Cpu }).Predict(inputs, scores);

        AssertSpread(reference);
        MaxAbsDifference(scores, reference).Should().BeLessThanOrEqualTo(Tolerance);
    }

    [Fact]
    public void Ensemble_median_agrees_with_float64_reference_on_10000_spread_inputs()
    {
        const string ensemble = "v0.0.11_ensemble-8-25-21";
        var members = ModelManifest.Default.MembersOf(ensemble);
        var (inputs, reference) = Generate(ensemble, 10_000, perSegment: 20, isEnsemble: true);
        var scores = new float[reference.Length];
        new EnsembleModel(members.Select(m => models.PathOf(m.Name)), new InferenceSettings { Device = InferenceDevice.Cpu })
            .Predict(inputs, scores);

        members.Should().HaveCount(6);
        AssertSpread(reference);
        MaxAbsDifference(scores, reference).Should().BeLessThanOrEqualTo(Tolerance);
    }

    [Fact]
    public void A_batch_of_one_equals_a_batch_of_many()
    {
        const string name = "spectrogram_v0.0.11_2021-07-13";
        var (inputs, _) = Generate(name, 500, perSegment: 20);
        var many = new float[500];
        var ones = new float[500];
        new PixelModel(models.PathOf(name), new InferenceSettings { Device = InferenceDevice.Cpu, PixelBatch = 500 }).Predict(inputs, many);
        new PixelModel(models.PathOf(name), new InferenceSettings { Device = InferenceDevice.Cpu, PixelBatch = 1 }).Predict(inputs, ones);

        MaxAbsDifference(ones, many.Select(v => (double)v).ToArray()).Should().BeLessThanOrEqualTo(1e-6);
        many.Should().Contain(v => v > 0.2 && v < 0.8);
    }

    private static (float[] Inputs, double[] Reference) Generate(string model, int count, int perSegment, bool isEnsemble = false, int chunk = 4096)
    {
        var dir = ModelTestPaths.NewTempDir("ref");
        try
        {
            var inputs = Path.Combine(dir, "in.f32");
            var output = Path.Combine(dir, "ref.f64");
            ModelTestPaths.RunScript("reference.py", isEnsemble ? "--ensemble" : "--model", model, "--keras-dir", ModelTestPaths.KerasDir,
                "--generate", count.ToString(), "--seed", "7", "--per-segment", perSegment.ToString(),
                "--chunk", chunk.ToString(), "--inputs-out", inputs, "--out", output);
            return (ReadFloats(inputs), ReadDoubles(output));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    /// <summary>
    /// Outputs cover (0, 1): every tenth of the interval holds at least 0.5 % of them and at least a third are
    /// not saturated (within 0.01 of 0 or 1).
    /// </summary>
    private static void AssertSpread(double[] reference)
    {
        var deciles = new int[10];
        foreach (var p in reference) deciles[Math.Min((int)(p * 10), 9)]++;
        deciles.Should().OnlyContain(c => c >= reference.Length / 200, $"outputs should spread over (0, 1): {string.Join(",", deciles)}");
        reference.Count(p => p is > 0.01 and < 0.99).Should().BeGreaterThan(reference.Length / 3);
    }

    private static double MaxAbsDifference(float[] actual, double[] expected)
    {
        actual.Should().HaveCount(expected.Length);
        return actual.Select((v, i) => Math.Abs(v - expected[i])).Max();
    }

    private static float[] ReadFloats(string path) =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(path)).ToArray();

    private static double[] ReadDoubles(string path) =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(File.ReadAllBytes(path)).ToArray();
}
