using Detect.Bench;
using Detect.Engine.Cli;
using Detect.Engine.Web;

// usage: dotnet run --project bench/Detect.Bench -c Release -- resolve <storeUri> <tasks> <folders>
//        dotnet run --project bench/Detect.Bench -c Release -- tile ../shared test_patch /tmp/detect-tile-bench [sample tiles] [end date]
//        bench/engine-bench.sh   (engine <cold|noop> <storeDir> <tasks> [run options...])
//        dotnet run --project bench/Detect.Bench -c Release -- resample [repeats]   20 m bands onto a tile: GDAL per band, grouped, hand bilinear
//        bench/bali-bench.sh          (scale-seed <sharedDir> <roi> <storeDir> <years> <revisitDays> <variants>: region-scale synthetic store)
//        (tile: DETECT_BENCH_TILES=<id>,<id> picks the tiles)
//        Detect.Bench host <detect CLI arguments>   the CLI over the benchmark tasks, for multi-process runs
//        bench/status-page-bench.sh   (page <workDir> [tasks]: the status page on a 100,000-task run)
//        bench/workshare-bench.sh     (workshare <storeUri> <tasks> <sleepMs> <processes...>: N processes sharing one graph)
//        Detect.Bench newfiles <dir> [files]   what one new published file costs, before and right after deletions
if (args.Length == 4 && args[0] == "resolve")
{
    await ResolveBenchmark.RunAsync(args[1], int.Parse(args[2]), int.Parse(args[3]));
    return 0;
}
if (args.Length is >= 4 and <= 6 && args[0] == "tile")
{
    await TileBenchmark.RunAsync(args[1], args[2], args[3], args.Length > 4 ? int.Parse(args[4]) : 1,
        args.Length > 5 ? DateOnly.ParseExact(args[5], "yyyy-MM-dd") : null);
    return 0;
}
if (args.Length >= 4 && args[0] == "engine")
    return await EngineBenchmark.RunAsync(args[1], args[2], int.Parse(args[3]), args[4..]);
if (args.Length is 1 or 2 && args[0] == "resample")
{
    ResampleBenchmark.Run(args.Length > 1 ? int.Parse(args[1]) : 20);
    return 0;
}
if (args.Length == 7 && args[0] == "scale-seed")
    return await ScaleImagery.SeedAsync(args[1], args[2], args[3], int.Parse(args[4]), int.Parse(args[5]), int.Parse(args[6]));
if (args.Length >= 2 && args[0] == "page")
    return await PageBenchmark.RunAsync(args[1], args.Length > 2 ? int.Parse(args[2]) : 100_000);
if (args.Length >= 5 && args[0] == "workshare")
    return await WorkShareBenchmark.RunAsync(args[1], int.Parse(args[2]), int.Parse(args[3]), args[4..].Select(int.Parse).ToList());
if (args.Length is 2 or 3 && args[0] == "newfiles")
    return await NewFileBenchmark.RunAsync(args[1], args.Length > 2 ? int.Parse(args[2]) : 10_000);
if (args.Length >= 1 && args[0] == "host")
    return await new CliApp(EngineBenchmark.Registry, "bench-host").AddServeVerb().RunAsync(args[1..]);
Console.Error.WriteLine("usage: resolve <storeUri> <tasks> <folders> | tile <sharedDir> <roi> <workDir> [sample] [endDate] | resample [repeats] | scale-seed <sharedDir> <roi> <storeDir> <years> <revisitDays> <variants> | engine <cold|noop> <storeDir> <tasks> [run options] | newfiles <dir> [files] | host <args>");
return 2;
