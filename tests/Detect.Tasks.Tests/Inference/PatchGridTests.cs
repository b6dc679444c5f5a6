using Detect.Tasks.Inference;
using Detect.Tasks.Models;
using Detect.Tasks.Tests.Models;

namespace Detect.Tasks.Tests.Inference;

/// <summary>The tile form of the patch classifier scores each stride-8 window as the patch model does.</summary>
[Collection(ConvertedModelsCollection.Name)]
public sealed class PatchGridTests(ConvertedModels models)
{
    private const string Patch = "v1.1.0_4-23-21_patch_classifier_45px_patch";

    [Theory]
    [InlineData(45 + 8 * 15, 45 + 8 * 14, 1)]        // whole windows exactly
    [InlineData(45 + 8 * 14 + 5, 45 + 8 * 15 + 3, 2)] // ragged edges: the partial last windows are dropped
    public void Grid_scores_equal_the_patch_model_on_every_window(int height, int width, int seed)
    {
        var tile = SyntheticTile(height, width, seed);
        var settings = new InferenceSettings { Device = InferenceDevice.Cpu };
        var entry = ModelManifest.Default.Get(Patch);
        var grid = new PatchGridModel(Path.Combine(models.Directory, entry.Grid!.File), settings);
        var (rows, cols) = PatchGridModel.GridSize(height, width);
        var gridScores = new float[rows * cols];

        grid.Predict(tile, height, width, gridScores);

        var windows = new float[rows * cols * PatchModel.FeaturesPerPatch];
        for (int i = 0, n = 0; i < rows; i++)
        for (var j = 0; j < cols; j++, n++)
        for (var r = 0; r < PatchModel.Size; r++)
            tile.AsSpan(((i * 8 + r) * width + j * 8) * 12, PatchModel.Size * 12)
                .CopyTo(windows.AsSpan(n * PatchModel.FeaturesPerPatch + r * PatchModel.Size * 12));
        var patchScores = new float[rows * cols];
        new PatchModel(models.PathOf(Patch), settings).Predict(windows, patchScores);

        rows.Should().Be((height - 45) / 8 + 1);
        gridScores.Zip(patchScores, (a, b) => Math.Abs(a - b)).Max().Should().BeLessThanOrEqualTo(1e-4f);
        // Most windows of a random tile score near 0, where an absolute tolerance says little: compare log P too.
        var comparable = Enumerable.Range(0, patchScores.Length).Where(k => patchScores[k] > 1e-30f).ToList();
        comparable.Count.Should().BeGreaterThan(patchScores.Length * 9 / 10);
        comparable.Max(k => Math.Abs(Math.Log(gridScores[k]) - Math.Log(patchScores[k]))).Should().BeLessThan(1e-3);
    }

    /// <summary>
    /// Plausible DNs: per-band levels that drift smoothly across the tile (a random level every 40 px,
    /// bilinearly blended), times a random factor per 9 x 9 cell, times pixel noise — like reference.py's patches.
    /// </summary>
    private static float[] SyntheticTile(int height, int width, int seed)
    {
        var rng = new Random(seed);
        const int knot = 40;
        int ky = height / knot + 2, kx = width / knot + 2;
        var levels = new float[ky, kx, 12];
        foreach (var (a, b, c) in from a in Enumerable.Range(0, ky) from b in Enumerable.Range(0, kx) from c in Enumerable.Range(0, 12) select (a, b, c))
            levels[a, b, c] = 300 + 3700 * rng.NextSingle();
        var cells = new float[height / 9 + 1, width / 9 + 1, 12];
        foreach (var (a, b, c) in from a in Enumerable.Range(0, cells.GetLength(0)) from b in Enumerable.Range(0, cells.GetLength(1)) from c in Enumerable.Range(0, 12) select (a, b, c))
            cells[a, b, c] = 0.6f + 0.8f * rng.NextSingle();
        var tile = new float[height * width * 12];
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
        {
            float fy = (float)y / knot, fx = (float)x / knot;
            int y0 = (int)fy, x0 = (int)fx;
            float wy = fy - y0, wx = fx - x0;
            for (var band = 0; band < 12; band++)
            {
                var level = (1 - wy) * ((1 - wx) * levels[y0, x0, band] + wx * levels[y0, x0 + 1, band])
                            + wy * ((1 - wx) * levels[y0 + 1, x0, band] + wx * levels[y0 + 1, x0 + 1, band]);
                tile[(y * width + x) * 12 + band] = level * cells[y / 9, x / 9, band] * (0.9f + 0.2f * rng.NextSingle());
            }
        }
        return tile;
    }
}
