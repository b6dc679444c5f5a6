using Detect.Bench;
using Detect.Engine.Cli;
using Detect.Engine.Web;

// usage: dotnet run --project bench/Detect.Bench -c Release -- resolve <storeUri> <tasks> <folders>
//        dotnet run --project bench/Detect.Bench -c Release -- tile ../shared test_patch /tmp/detect-tile-bench
//        bench/engine-bench.sh   (engine <cold|noop> <storeDir> <tasks> [run options...])
//        Detect.Bench host <detect CLI arguments>   the CLI over the benchmark tasks, for multi-process runs
//        bench/status-page-bench.sh   (page <workDir> [tasks]: the status page on a 100,000-task run)
//        bench/workshare-bench.sh     (workshare <storeUri> <tasks> <sleepMs> <processes...>: N processes sharing one graph)
if (args.Length == 4 && args[0] == "resolve")
{
    await ResolveBenchmark.RunAsync(args[1], int.Parse(args[2]), int.Parse(args[3]));
    return 0;
}
if (args.Length == 4 && args[0] == "tile")
{
    await TileBenchmark.RunAsync(args[1], args[2], args[3]);
    return 0;
}
if (args.Length >= 4 && args[0] == "engine")
    return await EngineBenchmark.RunAsync(args[1], args[2], int.Parse(args[3]), args[4..]);
if (args.Length >= 2 && args[0] == "page")
    return await PageBenchmark.RunAsync(args[1], args.Length > 2 ? int.Parse(args[2]) : 100_000);
if (args.Length >= 5 && args[0] == "workshare")
    return await WorkShareBenchmark.RunAsync(args[1], int.Parse(args[2]), int.Parse(args[3]), args[4..].Select(int.Parse).ToList());
if (args.Length >= 1 && args[0] == "host")
    return await new CliApp(EngineBenchmark.Registry, "bench-host").AddServeVerb().RunAsync(args[1..]);
Console.Error.WriteLine("usage: resolve <storeUri> <tasks> <folders> | tile <sharedDir> <roi> <workDir> | engine <cold|noop> <storeDir> <tasks> [run options] | host <args>");
return 2;
