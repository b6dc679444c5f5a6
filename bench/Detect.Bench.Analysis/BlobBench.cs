using System.Diagnostics;
using Detect.Tasks.Analysis.Blobs;

namespace Detect.Bench.Analysis;

/// <summary>Blob detection on one synthetic heatmap: seconds and the process's peak resident memory (VmHWM).</summary>
internal static class BlobBench
{
    /// <param name="dump">If given, the heatmap (raw float32, row-major), the blobs (row col sigma per line) and the
    /// seconds (wall, CPU) are written to <c>dump.f32</c>, <c>dump.blobs.txt</c> and <c>dump.seconds.txt</c> for
    /// bench/blob_doh_reference.py.</param>
    public static void Run(int size, string? dump = null)
    {
        var heatmap = new float[(long)size * size];
        var rng = new Random(5);
        // sparse Gaussian sites over a noisy background, as a heatmap tile mosaic looks after inference
        for (int k = 0; k < size * size / 400_000 + 3; k++)
        {
            int r0 = rng.Next(size), c0 = rng.Next(size);
            double sigma = 4 + 20 * rng.NextDouble();
            int reach = (int)(4 * sigma);
            for (int r = Math.Max(0, r0 - reach); r < Math.Min(size, r0 + reach); r++)
                for (int c = Math.Max(0, c0 - reach); c < Math.Min(size, c0 + reach); c++)
                    heatmap[(long)r * size + c] = Math.Max(heatmap[(long)r * size + c],
                        (float)Math.Exp(-((r - r0) * (r - r0) + (c - c0) * (c - c0)) / (2 * sigma * sigma)));
        }
        for (long i = 0; i < heatmap.LongLength; i += 7) heatmap[i] = Math.Max(heatmap[i], (float)(0.8 * rng.NextDouble()));
        var before = PeakRssMiB();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var blobs = BlobDetector.Detect(heatmap, size, size);
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        var wallSeconds = clock.Elapsed.TotalSeconds;
        var digest = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(string.Join(";", blobs.Select(b => $"{b.Row},{b.Col},{b.Sigma:R}")))))[..12];
        Console.WriteLine($"blobs {size}² ({heatmap.LongLength / 1e6:0.0} M px): {blobs.Count} blobs (sha256 {digest}) in {wallSeconds:0.00} s wall, {cpuSeconds:0.00} s CPU, " +
                          $"peak RSS {PeakRssMiB():0} MiB (heatmap alone {heatmap.LongLength * 4 / 1048576.0:0} MiB, peak before detection {before:0} MiB), " +
                          $"{Environment.ProcessorCount} cores, load {ContourBench.Load()}");
        if (dump is null) return;
        using (var file = File.Create(dump + ".f32")) file.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(heatmap.AsSpan()));
        File.WriteAllLines(dump + ".blobs.txt", blobs.Select(b => FormattableString.Invariant($"{b.Row} {b.Col} {b.Sigma:R}")));
        File.WriteAllText(dump + ".seconds.txt", FormattableString.Invariant($"{wallSeconds:R} {cpuSeconds:R}\n"));
    }

    /// <summary>Writes each test heatmap of <c>BlobFixtures</c> to DIR/NAME.f32 and their sizes and parameters to DIR/fixtures.csv.</summary>
    public static void DumpFixtures(string dir)
    {
        Directory.CreateDirectory(dir);
        var lines = new List<string> { "name,width,height,pred_threshold,min_sigma,max_sigma,num_sigma,threshold,overlap" };
        foreach (var f in Detect.Tasks.Tests.Analysis.Blobs.BlobFixtures.All())
        {
            using (var file = File.Create(Path.Combine(dir, f.Name + ".f32"))) file.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(f.Heatmap.AsSpan()));
            var o = f.Options;
            lines.Add(FormattableString.Invariant($"{f.Name},{f.Width},{f.Height},{o.PredThreshold:R},{o.MinSigma:R},{o.MaxSigma:R},{o.NumSigma},{o.Threshold:R},{o.Overlap:R}"));
        }
        File.WriteAllLines(Path.Combine(dir, "fixtures.csv"), lines);
        Console.WriteLine($"{lines.Count - 1} heatmaps in {dir}");
    }

    private static double PeakRssMiB() =>
        File.ReadLines("/proc/self/status").Where(l => l.StartsWith("VmHWM:"))
            .Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024).Single();
}
