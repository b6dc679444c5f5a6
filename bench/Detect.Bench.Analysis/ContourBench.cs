using System.Diagnostics;
using Detect.Tasks.Analysis.Contours;
using Detect.Tasks.Tests.Analysis.Contours;
using NetTopologySuite.Geometries;

namespace Detect.Bench.Analysis;

/// <summary>
/// The per-frame contour step four ways on the same synthetic frames (no nodata): seconds per frame by stage; contour
/// IoU (area of intersection / union of all polygons ≥ 160 px) against the hand-written pipeline Detect had before and
/// against the original's cv2 step; and polygon area over the count of pixels above the level on the contoured field
/// (an independent area estimate: 1 means no systematic inward or outward bias).
/// </summary>
internal static class ContourBench
{
    private const int F = ContourPipelines.Factor;

    private sealed class Stages : Dictionary<string, double>
    {
        public T Time<T>(string stage, Func<T> work)
        {
            var clock = Stopwatch.StartNew();
            var result = work();
            this[stage] = this.GetValueOrDefault(stage) + clock.Elapsed.TotalSeconds;
            return result;
        }
    }

    private sealed record Result(List<Polygon> Polygons, double AreaOverPixels);

    public static void Run(int size, int frames)
    {
        Console.WriteLine($"contour step, {frames} synthetic frames of {size}² px (upsampled {size * F}²), {Environment.ProcessorCount} cores, load {Load()}");
        var pipelines = new (string Name, Func<float[], Stages, Result> Run)[]
        {
            ("before: hand-written bicubic + blur, marching squares", (f, t) => HandWritten(f, size, t)),
            ("**shipped: OpenCV resize + blur, marching squares**", (f, t) => OpenCv(f, size, t, findContours: false)),
            ("OpenCV resize + blur, findContours", (f, t) => OpenCv(f, size, t, findContours: true)),
            ("original cv2 (uint8 blur, TOZERO, findContours)", (f, t) => Original(f, size, t)),
        };
        var results = pipelines.Select(_ => new List<Result>()).ToArray();
        var stages = pipelines.Select(_ => new Stages()).ToArray();
        for (int i = 0; i < frames; i++)
        {
            var frame = SyntheticPredictionFrames.Make(size, seed: 1000 + i, nodataStrip: false);
            for (int p = 0; p < pipelines.Length; p++) results[p].Add(pipelines[p].Run(frame, stages[p]));
        }
        var keys = stages[0].Keys.ToList();
        Console.WriteLine($"| pipeline | {string.Join(" | ", keys)} | s/frame | IoU vs before (min / mean) | IoU vs original cv2 (min / mean) | area / pixels above level |");
        Console.WriteLine($"| --- |{string.Concat(keys.Select(_ => " ---: |"))} ---: | ---: | ---: | ---: |");
        for (int p = 0; p < pipelines.Length; p++)
        {
            var vsBefore = Enumerable.Range(0, frames).Select(i => ContourPipelines.IoU(results[p][i].Polygons, results[0][i].Polygons)).ToList();
            var vsOriginal = Enumerable.Range(0, frames).Select(i => ContourPipelines.IoU(results[p][i].Polygons, results[^1][i].Polygons)).ToList();
            Console.WriteLine($"| {pipelines[p].Name} | {string.Join(" | ", keys.Select(k => stages[p].TryGetValue(k, out var s) ? $"{s / frames:0.000}" : "–"))} | " +
                              $"{stages[p].Values.Sum() / frames:0.000} | {vsBefore.Min():0.0000} / {vsBefore.Average():0.0000} | " +
                              $"{vsOriginal.Min():0.0000} / {vsOriginal.Average():0.0000} | {results[p].Average(r => r.AreaOverPixels):0.0000} |");
        }
    }

    private static Result HandWritten(float[] frame, int size, Stages t)
    {
        int n = size * F;
        var up = t.Time("upsample", () => ReferenceBicubic.Upsample(frame, size, size, F));
        t.Time("clip + 8 bit", () => { FrameContours.ClipAndQuantise(up); return 0; });
        var field = t.Time("blur", () => ReferenceGaussianBlur.Apply(up, n, n, ContourPipelines.Kernel, ContourPipelines.Sigma));
        return t.Time("contours", () => Assemble(MarchingSquares.Rings(field, n, n, ContourPipelines.Level), field, ContourPipelines.Level));
    }

    private static Result OpenCv(float[] frame, int size, Stages t, bool findContours)
    {
        int n = size * F;
        var field = t.Time("upsample", () => OpenCvFilters.UpsampleBicubic(frame, size, size, F));
        t.Time("clip + 8 bit", () => { FrameContours.ClipAndQuantise(field); return 0; });
        t.Time("blur", () => { OpenCvFilters.GaussianBlurInPlace(field, n, n, ContourPipelines.Kernel, ContourPipelines.Sigma); return 0; });
        return t.Time("contours", () => Assemble(findContours
            ? FindContoursRings.Rings(field, n, n, ContourPipelines.Level)
            : MarchingSquares.Rings(field, n, n, ContourPipelines.Level), field, ContourPipelines.Level));
    }

    private static Result Original(float[] frame, int size, Stages t)
    {
        var polygons = t.Time("total (one call)", () => ContourPipelines.OriginalCv2(frame, size));
        return new Result(polygons, double.NaN);
    }

    private static Result Assemble(List<(double X, double Y)[]> rings, float[] field, float level)
    {
        var all = RingAssembler.Polygons(rings);
        double above = field.Count(v => v > level);
        return new Result(all.Where(p => p.Area >= ContourPipelines.MinArea).ToList(), all.Sum(p => p.Area) / above);
    }

    internal static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
}
