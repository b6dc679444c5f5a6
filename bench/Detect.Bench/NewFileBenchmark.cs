using System.Diagnostics;
using Detect.Engine.Storage;

namespace Detect.Bench;

/// <summary>
/// What one new file costs on this disk, which bounds a cold run of small tasks (each output is a new file):
/// N files staged and published into a local store the way the scheduler does it (create, write, one rename),
/// then the N files made before them in the staging folder deleted, then (two seconds later) N more published. On ext4
/// without a journal the inode allocator skips inodes freed in the last minutes one by one, so the last row shows what
/// deletions near a run (other processes' clean-up) cost it.
/// Prints one table row per step: wall and CPU time per file.
/// </summary>
internal static class NewFileBenchmark
{
    public static async Task<int> RunAsync(string directory, int files)
    {
        var root = Path.GetFullPath(Path.Combine(directory, DateTime.UtcNow.Ticks.ToString()));
        using var store = new LocalObjectStore(root);
        var staging = Path.Combine(root, ".detect", "staging", "bench");
        Directory.CreateDirectory(staging);
        Console.WriteLine("| step | files | wall per file | CPU per file |");
        Console.WriteLine("|---|---:|---:|---:|");
        // The files deleted later are made first: their inodes are the lowest free ones of the folder's group then, so
        // every file made after their deletion meets them first (ext4 looks for a free inode from the group's start).
        await Step("files made (to delete later)", () => MakeAsync(staging, files), files);
        await Step("new files, published", () => PublishAsync(store, staging, "a", files), files);
        await Step("the first files deleted", () => DeleteAsync(staging, files), files);
        await Task.Delay(TimeSpan.FromSeconds(2)); // ext4 counts an inode freed in the current second as not recent yet
        await Step("new files right after", () => PublishAsync(store, staging, "b", files), files);
        return 0;
    }

    private static async Task Step(string name, Func<Task> step, int files)
    {
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await step();
        clock.Stop();
        process.Refresh();
        Console.WriteLine($"| {name} | {files:N0} | {clock.Elapsed.TotalMicroseconds / files:0.0} µs | {(process.TotalProcessorTime - cpu).TotalMicroseconds / files:0.0} µs |");
    }

    private static async Task PublishAsync(LocalObjectStore store, string staging, string series, int files)
    {
        for (var i = 0; i < files; i++)
        {
            var staged = Path.Combine(staging, $"t{i}.txt");
            using (var handle = File.OpenHandle(staged, FileMode.CreateNew, FileAccess.Write, FileShare.None)) RandomAccess.Write(handle, "done"u8, 0);
            await store.PublishStagedFileAsync($"{series}/f{i % 100}/t{i}.txt", staged);
        }
    }

    private static Task MakeAsync(string folder, int files)
    {
        for (var i = 0; i < files; i++) File.WriteAllBytes(Path.Combine(folder, $"x{i}"), []);
        return Task.CompletedTask;
    }

    private static Task DeleteAsync(string folder, int files)
    {
        for (var i = 0; i < files; i++) File.Delete(Path.Combine(folder, $"x{i}"));
        return Task.CompletedTask;
    }
}
