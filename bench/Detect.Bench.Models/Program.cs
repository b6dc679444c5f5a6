using System.Diagnostics;
using Detect.Tasks.Inference;
using Microsoft.Extensions.Logging.Abstractions;

// Pixel-model throughput on ONNX Runtime: pixels per second for each combination of graph form (ONNX file),
// batch size, thread count and spinning. Usage (see bench/README-models.md):
//   dotnet run -c Release --project bench/Detect.Bench.Models -- --onnx gemm=a.onnx --onnx conv=b.onnx
//       [--pixels 1000000,10000000] [--batch 1024] [--threads 2] [--concurrent 1] [--spin 1] [--device cpu]
if (args.Length > 0 && args[0] == "patch")
{
    PatchBench.Run(args[1..]);
    return;
}
var onnx = new List<(string Label, string Path)>();
long[] pixels = [1_000_000, 10_000_000];
int[] batches = [1024], threads = [Environment.ProcessorCount];
bool[] spins = [true], concurrent = [true];
var device = InferenceDevice.Cpu;
var classIndex = 1;
for (var i = 0; i < args.Length; i += 2)
{
    var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--onnx":
            var eq = value.IndexOf('=');
            onnx.Add(eq < 0 ? (Path.GetFileNameWithoutExtension(value), value) : (value[..eq], value[(eq + 1)..]));
            break;
        case "--pixels": pixels = value.Split(',').Select(long.Parse).ToArray(); break;
        case "--batch": batches = value.Split(',').Select(int.Parse).ToArray(); break;
        case "--threads": threads = value.Split(',').Select(int.Parse).ToArray(); break;
        case "--spin": spins = value.Split(',').Select(v => v == "1").ToArray(); break;
        case "--concurrent": concurrent = value.Split(',').Select(v => v == "1").ToArray(); break;
        case "--class": classIndex = int.Parse(value); break;
        case "--device": device = Enum.Parse<InferenceDevice>(value, ignoreCase: true); break;
        default: throw new ArgumentException($"unknown option {args[i]}");
    }
}
if (onnx.Count == 0) throw new ArgumentException("give at least one --onnx [label=]path");

var maxPixels = pixels.Max();
Console.Error.WriteLine($"generating {maxPixels:N0} pixel pairs ...");
var input = new float[maxPixels * PixelModel.FeaturesPerPixel];
var rng = new Random(1);
for (var i = 0; i < input.Length; i++) input[i] = 200 + 3800 * rng.NextSingle();
var scores = new float[maxPixels];

Console.WriteLine("| graph | pixels | batch | threads | parallelism | wall s | pixels/s (wall) | CPU s | pixels per CPU-s |");
Console.WriteLine("| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |");
var process = Process.GetCurrentProcess();
foreach (var (label, path) in onnx)
foreach (var batch in batches)
foreach (var thread in threads)
foreach (var spin in spins)
foreach (var conc in concurrent)
{
    var settings = new InferenceSettings
    {
        Device = device, PixelBatch = batch, Threads = thread, AllowSpinning = spin, ConcurrentBatches = conc,
    };
    var model = new PixelModel(path, settings, NullLogger.Instance, classIndex);
    model.Predict(input.AsSpan(0, Math.Min(batch, (int)maxPixels) * PixelModel.FeaturesPerPixel), scores); // warm-up
    foreach (var n in pixels)
    {
        process.Refresh();
        var cpu0 = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        model.Predict(input.AsSpan(0, checked((int)(n * PixelModel.FeaturesPerPixel))), scores);
        var seconds = watch.Elapsed.TotalSeconds;
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpu0).TotalSeconds;
        Console.WriteLine($"| {label} ({model.Device.ToString().ToLowerInvariant()}) | {n:N0} | {batch} | {thread} | {(thread == 1 ? "-" : conc ? "concurrent batches" : spin ? "intra-op, spinning" : "intra-op")} | {seconds:F2} | {n / seconds / 1e6:F3} M | {cpu:F2} | {n / cpu / 1e6:F3} M |");
    }
}
