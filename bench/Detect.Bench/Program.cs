using Detect.Bench;

// usage: dotnet run --project bench/Detect.Bench -c Release -- resolve <storeUri> <tasks> <folders>
//        dotnet run --project bench/Detect.Bench -c Release -- tile ../shared test_patch /tmp/detect-tile-bench
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
Console.Error.WriteLine("usage: resolve <storeUri> <tasks> <folders> | tile <sharedDir> <roi> <workDir>");
return 2;
