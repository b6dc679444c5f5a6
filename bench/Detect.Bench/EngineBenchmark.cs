using System.Diagnostics;
using Detect.Engine.Cli;
using Detect.Engine.Scheduling;

namespace Detect.Bench;

/// <summary>
/// Engine overhead: <c>detect run BenchGraph</c> (in this process, as the CLI runs it) over N trivial tasks on a
/// local store. <c>cold</c> starts from an empty store (every task runs: lease, staging, publish, log lines);
/// <c>noop</c> runs on a complete store (resolution and existence checks only). Prints one table row: wall time
/// of the run, tasks/s, CPU time (user + system, all threads: less sensitive to a busy machine than wall time),
/// context switches per task (of threads alive at the end), peak RSS of the process. The run's log goes to stderr (redirect it as a user's would be).
/// </summary>
internal static class EngineBenchmark
{
    public static async Task<int> RunAsync(string mode, string storeDir, int tasks, IReadOnlyList<string> runOptions)
    {
        if (mode is not ("cold" or "noop")) { Console.Error.WriteLine("mode must be cold or noop"); return 2; }
        var store = Path.GetFullPath(storeDir);
        if (mode == "cold" && Directory.Exists(store)) Directory.Delete(store, recursive: true);
        var stdout = new StringWriter();
        var app = new CliApp(Registry, "bench") { Out = stdout };
        string[] args = ["run", nameof(BenchGraph), "--tasks", tasks.ToString(), "--store", store, .. runOptions];

        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var switchesBefore = ContextSwitches();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var collectionsBefore = GC.CollectionCount(0);
        var clock = Stopwatch.StartNew();
        var code = await app.RunAsync(args);
        clock.Stop();
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        var switches = ContextSwitches() - switchesBefore;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var collections = GC.CollectionCount(0) - collectionsBefore;
        if (code != 0)
        {
            Console.Error.WriteLine(stdout);
            Console.Error.WriteLine($"run exited {code}");
            return 1;
        }
        var summary = stdout.ToString();
        var ran = mode == "cold" ? $"{tasks + 1} ran" : $"{tasks + 1} were already complete";
        if (!summary.Contains(ran, StringComparison.Ordinal))
            throw new InvalidOperationException($"expected '{ran}' in the summary:\n{summary}");
        Console.WriteLine($"| {mode} | {tasks:N0} | {string.Join(' ', runOptions)} | {clock.Elapsed.TotalSeconds:0.00} s | " +
                          $"{tasks / clock.Elapsed.TotalSeconds:N0} | {cpu.TotalSeconds:0.00} s | {switches / (double)tasks:0.0} | {allocated / (double)tasks / 1024:0.0} KiB, {collections} GCs | {PeakRssMiB():N0} MiB |");
        return 0;
    }

    public static TaskRegistry Registry { get; } = new TaskRegistry().Register(typeof(BenchGraph)).Register(typeof(BenchStep));

    /// <summary>Voluntary + involuntary context switches of this process so far (every thread).</summary>
    private static long ContextSwitches()
    {
        long total = 0;
        foreach (var thread in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                foreach (var line in File.ReadLines(Path.Combine(thread, "status")))
                    if (line.Contains("ctxt_switches:", StringComparison.Ordinal))
                        total += long.Parse(line.Split(':')[1].Trim());
            }
            catch (IOException) { } // a thread that ended meanwhile
        }
        return total;
    }

    /// <summary>VmHWM: the most resident memory this process has had.</summary>
    public static long PeakRssMiB()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
        return -1;
    }
}
