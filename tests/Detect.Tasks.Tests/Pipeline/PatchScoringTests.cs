using Detect.Tasks.Inference;
using Detect.Tasks.Models;
using Detect.Tasks.Mosaics;
using Detect.Tasks.Native.Gdal;
using Detect.Tasks.Pipeline;
using Detect.Synthetic;
using Detect.Tasks.Tests.Models;
using NetTopologySuite.Geometries;

namespace Detect.Tasks.Tests.Pipeline;

/// <summary>The 90 % valid rule applies per window: each window averages the mosaics where it is ≥ 90 % valid.</summary>
[Collection(ConvertedModelsCollection.Name)]
public sealed class PatchScoringTests(ConvertedModels models)
{
    private const string Patch = "v1.1.0_4-23-21_patch_classifier_45px_patch";
    private const int Size = 45 + 8 * 4; // 5 x 5 windows

    [Fact]
    public void Each_window_averages_the_mosaics_where_it_is_at_least_90_percent_valid()
    {
        var grid = new RasterGrid(32750, GeoTransform.NorthUp(318000, 9053000, 10), Size, Size);
        // a: a bare-soil disc in the top-left window, valid only in the left 45 columns (58 % of the tile);
        // b: vegetation, valid except the bottom 8 rows.
        var a = Fill(grid, (r, c) => c < 45, (r, c) => (r - 22) * (r - 22) + (c - 22) * (c - 22) <= 64 ? SiteSpectra.BareSoil : SiteSpectra.Soil);
        var b = Fill(grid, (r, c) => r < Size - 8, (_, _) => SiteSpectra.Vegetation);
        var entry = ModelManifest.Default.Get(Patch);
        var settings = new InferenceSettings { Device = InferenceDevice.Cpu };
        var roi = new GeometryFactory(new PrecisionModel(), 4326).ToGeometry(new Envelope(100, 130, -20, 0));

        var windows = PatchScoring.Score([a, b], roi, new PatchGridModel(Path.Combine(models.Directory, entry.Grid!.File), settings));

        a.ValidFraction.Should().BeLessThan(PatchScoring.MinValidFraction, "a per-mosaic rule would have dropped it");
        windows.Should().HaveCount(25 - 4, "the bottom row's windows right of column 0 are < 90 % valid in both mosaics");
        var patch = new PatchModel(models.PathOf(Patch), settings);
        var (sa, sb) = (Score(patch, a, 0, 0), Score(patch, b, 0, 0));
        sa.Should().BeGreaterThan(0.5f, "the disc makes mosaic a's top-left window differ from b's");
        windows[0].Mean.Should().BeApproximately((sa + sb) / 2, 1e-4);
        windows[1].Mean.Should().BeApproximately(Score(patch, b, 0, 8), 1e-4, "window (0, 1) is 82 % valid in a: b alone");
        windows[20].Mean.Should().BeApproximately(Score(patch, a, 32, 0), 1e-4, "window (4, 0) is valid in a only");
    }

    private static Mosaic Fill(RasterGrid grid, Func<int, int, bool> valid, Func<int, int, SiteSpectra> spectrum)
    {
        var n = grid.PixelCount;
        var data = new float[12 * n];
        var observations = new ushort[n];
        for (var r = 0; r < Size; r++)
        for (var c = 0; c < Size; c++)
        {
            var i = r * Size + c;
            observations[i] = (ushort)(valid(r, c) ? 1 : 0);
            for (var b = 0; b < 12; b++) data[b * n + i] = valid(r, c) ? spectrum(r, c).Dns[b] : float.NaN;
        }
        return new Mosaic(grid, data, observations);
    }

    private static float Score(PatchModel model, Mosaic mosaic, int row, int col)
    {
        var window = new float[PatchModel.FeaturesPerPatch];
        for (var r = 0; r < 45; r++)
        for (var c = 0; c < 45; c++)
        for (var b = 0; b < 12; b++)
        {
            var v = mosaic[b, (row + r) * Size + col + c];
            window[(r * 45 + c) * 12 + b] = float.IsNaN(v) ? 0 : v;
        }
        var score = new float[1];
        model.Predict(window, score);
        return score[0];
    }
}
