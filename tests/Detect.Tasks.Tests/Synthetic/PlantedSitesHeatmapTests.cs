using System.Diagnostics;
using Detect.Engine.Storage;
using Detect.Tasks.Geo;
using Detect.Tasks.Geo.GeoJson;
using Detect.Tasks.Imagery;
using Detect.Tasks.Inference;
using Detect.Tasks.Mosaics;
using Detect.Tasks.Native.Gdal;
using Detect.Synthetic;
using Detect.Synthetic.Search;
using Detect.Tasks.Tests.Gdal;
using Detect.Tasks.Tests.Models;
using Detect.Tasks.Tiling;
using Xunit.Abstractions;

namespace Detect.Tasks.Tests.Synthetic;

/// <summary>
/// The generator's scenes through the heatmap's steps at library level (no engine): test_patch scenes,
/// tiles, `min` mosaics per 3-month window, pairs 2 windows apart, the pixel model on every pixel valid in
/// both, the median over pairs — on one grid over the ROI aligned with the tiles' pixels.
/// </summary>
[Collection(ConvertedModelsCollection.Name)]
public sealed class PlantedSitesHeatmapTests(ConvertedModels converted, ITestOutputHelper output) : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Heatmap_is_above_0_9_at_every_planted_site_and_below_0_1_at_decoys_and_background()
    {
        var clock = Stopwatch.StartNew();
        var roi = GeoJsonReader.ReadAreaFile(Path.Combine(ModelTestPaths.RepoRoot, "..", "shared", "roi", "test_patch.geojson"));
        var options = new SyntheticOptions { Roi = roi, Start = new DateOnly(2019, 1, 1), End = new DateOnly(2021, 6, 1) };
        var store = new LocalObjectStore(_dir.File("store"));
        var truth = await SyntheticImageryGenerator.GenerateAsync(store, options, _dir.File("scratch"));
        var generated = clock.Elapsed;

        var pixel = new PixelModel(converted.PathOf(SpectrumModels.PixelModelName), new InferenceSettings { Device = InferenceDevice.Cpu });
        var windows = MosaicWindows.Build(options.Start, options.End, 3);
        var pairs = MosaicWindows.Pairs(windows, 2);
        var tiles = RoiTiler.Cover(roi);
        var scenes = await SceneCatalog.FindAsync(store, roi, options.Start, options.End);

        // One grid over the ROI on the tiles' 10 m lattice (every tile's padded grid shares it): the same
        // pixels the tiles give, each scene read once.
        tiles.Should().OnlyContain(t => t.Epsg == truth.Epsg);
        var lattice = tiles[0].PaddedGrid.Transform;
        var e = GeometryReprojection.Transform(roi, 4326, truth.Epsg).EnvelopeInternal;
        var (c0, r0) = lattice.PixelContaining(e.MinX, e.MaxY);
        var (c1, r1) = lattice.PixelContaining(e.MaxX, e.MinY);
        var (left, top) = lattice.Apply(c0, r0);
        var grid = new RasterGrid(truth.Epsg, GeoTransform.NorthUp(left, top, 10), c1 - c0 + 1, r1 - r0 + 1);
        var mosaics = windows.ToDictionary(w => w, w => MosaicBuilder.Build(grid, scenes.Where(s => w.Contains(s.Datetime)), MosaicMethod.Min));
        var heat = MedianOverPairs(pixel, grid.PixelCount, pairs.Select(p => (mosaics[p.First], mosaics[p.Second])).ToList());
        var inferred = clock.Elapsed;

        float At(double x, double y)
        {
            var (c, r) = grid.Transform.PixelContaining(x, y);
            return heat[r * grid.Width + c];
        }
        foreach (var site in truth.Sites)
        {
            output.WriteLine($"{site.Name}: {At(site.X, site.Y):F4}");
            At(site.X, site.Y).Should().BeGreaterThan(0.9f, site.Name);
        }
        foreach (var decoy in truth.Decoys)
        {
            output.WriteLine($"{decoy.Name} ({decoy.Spectrum}): {At(decoy.X, decoy.Y):F4}");
            At(decoy.X, decoy.Y).Should().BeLessThan(0.1f, decoy.Name);
        }
        // Background: every pixel 100 m beyond any site's surround, decoys and their surroundings included.
        var background = new List<float>();
        for (var r = 0; r < grid.Height; r++)
        for (var c = 0; c < grid.Width; c++)
        {
            var (x, y) = grid.Transform.PixelCenter(c, r);
            var far = truth.Sites.All(f => Math.Sqrt((f.X - x) * (f.X - x) + (f.Y - y) * (f.Y - y)) > options.SiteLayout.OuterRadiusMetres + 100);
            if (far && !float.IsNaN(heat[r * grid.Width + c])) background.Add(heat[r * grid.Width + c]);
        }
        output.WriteLine($"background: {background.Count} pixels, max {background.Max():F4}");
        background.Count.Should().BeGreaterThan(grid.PixelCount / 2);
        background.Max().Should().BeLessThan(0.1f);
        output.WriteLine($"{truth.ItemKeys.Count} scenes generated in {generated.TotalSeconds:F1} s; {windows.Count} mosaics of " +
            $"{grid.Width} x {grid.Height} px and {pairs.Count} pairs through the pixel model in {(inferred - generated).TotalSeconds:F1} s");
    }

    private static bool Contains((double MinX, double MinY, double MaxX, double MaxY) b, double x, double y) =>
        x >= b.MinX && x < b.MaxX && y >= b.MinY && y < b.MaxY;

    private static float Max(float[] heat) => heat.Where(v => !float.IsNaN(v)).DefaultIfEmpty(float.NaN).Max();

    /// <summary>The heatmap rule: per pixel, the median of the pixel model over the pairs where both mosaics are valid (NaN if none).</summary>
    private static float[] MedianOverPairs(PixelModel model, int n, IReadOnlyList<(Mosaic First, Mosaic Second)> pairs)
    {
        var perPixel = Enumerable.Range(0, n).Select(_ => new List<float>()).ToArray();
        foreach (var (first, second) in pairs)
        {
            var valid = Enumerable.Range(0, n).Where(i => first.IsValid(i) && second.IsValid(i)).ToArray();
            if (valid.Length == 0) continue;
            var input = new float[valid.Length * PixelModel.FeaturesPerPixel];
            for (var k = 0; k < valid.Length; k++)
            for (var b = 0; b < SentinelBands.Count; b++)
            {
                input[k * 24 + b * 2] = first[b, valid[k]];
                input[k * 24 + b * 2 + 1] = second[b, valid[k]];
            }
            var scores = new float[valid.Length];
            model.Predict(input, scores);
            for (var k = 0; k < valid.Length; k++) perPixel[valid[k]].Add(scores[k]);
        }
        return perPixel.Select(v => v.Count == 0 ? float.NaN : EnsembleModel.Median(v.ToArray())).ToArray();
    }
}
