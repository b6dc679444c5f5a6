using System.Diagnostics;
using Detect.Bench.Cwl;
using Detect.Engine.Cli;
using Detect.Engine.Scheduling;

// usage: dotnet .build/bin/Detect.Bench.Cwl/Release/net10.0/Detect.Bench.Cwl.dll <groups> <items> <workDir> [max-jobs-per-step ...]
// Exports a graph of groups × items + groups + 1 tasks (the items planned ahead from the parameters, as Detect's
// tiles are) from an empty local store, then times `cwltool --validate` (what every runner does first: load it).
if (args.Length < 3) { Console.Error.WriteLine("usage: <groups> <items> <workDir> [max-jobs-per-step ...]"); return 2; }
var (groups, items, work) = (int.Parse(args[0]), int.Parse(args[1]), Path.GetFullPath(args[2]));
var jobCaps = args.Length > 3 ? args[3..] : ["100"];
Directory.CreateDirectory(work);
var app = new CliApp(new TaskRegistry(typeof(BenchReport).Assembly)) { Error = TextWriter.Null };
Console.WriteLine("| tasks | max jobs per step | export | file | cwltool --validate |");
Console.WriteLine("|---:|---:|---:|---:|---:|");
foreach (var cap in jobCaps)
{
    var output = Path.Combine(work, $"bench-{groups}x{items}-{cap}.cwl");
    var clock = Stopwatch.StartNew();
    var code = await app.RunAsync(["export", "cwl", nameof(BenchReport), "--groups", $"{groups}", "--items", $"{items}",
        "--store", Path.Combine(work, "store"), "--no-container", "--max-jobs-per-step", cap, "-o", output, "--force"]);
    var export = clock.Elapsed;
    if (code != 0) { Console.Error.WriteLine($"export failed with exit {code}"); return 1; }
    var validate = Stopwatch.StartNew();
    using var cwltool = Process.Start(new ProcessStartInfo("cwltool", ["--validate", output]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
    var stderr = cwltool.StandardError.ReadToEndAsync();
    await cwltool.StandardOutput.ReadToEndAsync();
    await cwltool.WaitForExitAsync();
    var verdict = cwltool.ExitCode == 0 ? $"{validate.Elapsed.TotalSeconds:0.0} s" : $"failed: {await stderr}";
    Console.WriteLine($"| {groups * items + groups + 1:N0} | {cap} | {export.TotalSeconds:0.00} s | {new FileInfo(output).Length / 1024.0 / 1024:0.0} MiB | {verdict} |");
}
return 0;
