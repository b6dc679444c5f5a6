using System.Diagnostics;
using Detect.Engine.History;
using Detect.Engine.Storage;

namespace Detect.Bench;

/// <summary>
/// Work sharing (issue 11): N separate <c>run</c> processes on one store, each with one worker, over the same
/// graph of T tasks that each sleep S ms (sleeping isolates the engine from the machine's two cores). Reports the
/// wall time until every process has ended, the speed-up over one process, and checks from the run histories that
/// every task ran exactly once and every process ended with the complete graph.
/// </summary>
internal static class WorkShareBenchmark
{
    public static async Task<int> RunAsync(string storeUri, int tasks, int sleepMs, IReadOnlyList<int> processCounts)
    {
        Console.WriteLine($"| store | processes | wall time | speed-up | tasks run per process | each task ran once | S3 requests |");
        Console.WriteLine("|---|---:|---:|---:|---|---|---:|");
        double? single = null;
        foreach (var n in processCounts)
        {
            var uri = $"{storeUri.TrimEnd('/')}/ws-{tasks}-{n}-{DateTime.UtcNow:HHmmssfff}";
            var clock = Stopwatch.StartNew();
            var children = Enumerable.Range(0, n).Select(_ => Process.Start(new ProcessStartInfo("dotnet",
            [
                typeof(WorkShareBenchmark).Assembly.Location, "host", "run", nameof(BenchGraph), "--tasks", tasks.ToString(), "--layers", "1",
                "--sleep-ms", sleepMs.ToString(), "--workers", "1", "--lease-poll", "1", "--store", uri, "-v",
            ]) { RedirectStandardOutput = true, RedirectStandardError = true })!).ToList();
            var outputs = children.Select(c => (c.StandardOutput.ReadToEndAsync(), c.StandardError.ReadToEndAsync())).ToList();
            foreach (var child in children) await child.WaitForExitAsync();
            var wall = clock.Elapsed.TotalSeconds;
            single ??= wall;
            for (var i = 0; i < n; i++)
                if (children[i].ExitCode != 0)
                    throw new InvalidOperationException($"process {i} exited {children[i].ExitCode}:\n{await outputs[i].Item1}\n{await outputs[i].Item2}");

            using var store = StoreFactory.Open(uri);
            var history = new RunHistory(store);
            var ran = new List<string>();
            var perProcess = new List<int>();
            foreach (var id in await history.RunIdsAsync())
            {
                var record = await history.ReadRecordAsync(id) ?? throw new InvalidOperationException($"no record of run {id}");
                if (record.Outcome != RunRecord.Succeeded) throw new InvalidOperationException($"run {id} ended {record.Outcome}");
                var steps = (await history.ReadTasksAsync(id)).Where(t => t.Family == nameof(BenchStep) && t.Outcome == "ran").Select(t => t.Task).ToList();
                ran.AddRange(steps);
                perProcess.Add(steps.Count);
            }
            var requests = 0L;
            foreach (var (_, err) in outputs)
                if (System.Text.RegularExpressions.Regex.Match(await err, @"S3 requests to \S+: (\d+)") is { Success: true } m) requests += long.Parse(m.Groups[1].Value);
            var once = ran.Count == tasks && ran.Distinct().Count() == tasks;
            if (!once) throw new InvalidOperationException($"{ran.Count} task runs for {tasks} tasks ({ran.Distinct().Count()} distinct)");
            Console.WriteLine($"| {(uri.Contains("://") ? uri.Split(":")[0] : "local")} | {n} | {wall:0.0} s | {single / wall:0.00}× | {string.Join(" + ", perProcess.OrderDescending())} | yes |" +
                              (requests > 0 ? $" {requests:N0} ({requests / (double)tasks:0.0} per task, {requests / wall:0} per second) |" : ""));
            foreach (var child in children) child.Dispose();
        }
        return 0;
    }
}
