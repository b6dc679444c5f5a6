using System.Diagnostics;
using Detect.Tasks.Inference;

/// <summary>
/// Patch classifier over a tile, every 45 px window at stride 8: per window (PatchModel on extracted windows)
/// against the tile form (PatchGridModel, one pass). Usage: patch PATCH.onnx GRID.onnx [tile size, default 365]
/// </summary>
internal static class PatchBench
{
    public static void Run(string[] args)
    {
        var (patchPath, gridPath) = (args[0], args[1]);
        var size = args.Length > 2 ? int.Parse(args[2]) : 365;
        var rng = new Random(1);
        var tile = new float[size * size * 12];
        for (var i = 0; i < tile.Length; i++) tile[i] = 200 + 3800 * rng.NextSingle();
        var (rows, cols) = PatchGridModel.GridSize(size, size);
        var settings = new InferenceSettings { Device = InferenceDevice.Cpu };
        Console.WriteLine($"| method | tile | windows | wall s | windows/s | CPU s |");
        Console.WriteLine($"| --- | ---: | ---: | ---: | ---: | ---: |");

        var grid = new PatchGridModel(gridPath, settings);
        var gridScores = new float[rows * cols];
        grid.Predict(tile, size, size, gridScores);
        Measure("grid (one pass)", () => grid.Predict(tile, size, size, gridScores));

        var windows = new float[rows * cols * PatchModel.FeaturesPerPatch];
        var patch = new PatchModel(patchPath, settings);
        var patchScores = new float[rows * cols];
        patch.Predict(windows.AsSpan(0, PatchModel.FeaturesPerPatch * 16), patchScores);
        Measure("per window (PatchModel, windows copied out)", () =>
        {
            for (int i = 0, n = 0; i < rows; i++)
            for (var j = 0; j < cols; j++, n++)
            for (var r = 0; r < PatchModel.Size; r++)
                tile.AsSpan(((i * 8 + r) * size + j * 8) * 12, PatchModel.Size * 12)
                    .CopyTo(windows.AsSpan(n * PatchModel.FeaturesPerPatch + r * PatchModel.Size * 12));
            patch.Predict(windows, patchScores);
        });
        Console.WriteLine($"max |grid - per window| = {gridScores.Zip(patchScores, (a, b) => Math.Abs(a - b)).Max():E2}");

        void Measure(string label, Action action)
        {
            var process = Process.GetCurrentProcess();
            process.Refresh();
            var cpu0 = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            action();
            var seconds = watch.Elapsed.TotalSeconds;
            process.Refresh();
            var cpu = (process.TotalProcessorTime - cpu0).TotalSeconds;
            Console.WriteLine($"| {label} | {size} x {size} | {rows * cols:N0} | {seconds:F2} | {rows * cols / seconds:N0} | {cpu:F2} |");
        }
    }
}
