using Detect.Bench;

// usage: dotnet run --project bench/Detect.Bench -c Release -- resolve <storeUri> <tasks> <folders>
if (args.Length == 4 && args[0] == "resolve")
{
    await ResolveBenchmark.RunAsync(args[1], int.Parse(args[2]), int.Parse(args[3]));
    return 0;
}
Console.Error.WriteLine("usage: resolve <storeUri> <tasks> <folders>");
return 2;
