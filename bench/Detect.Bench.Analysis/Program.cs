using Detect.Bench.Analysis;

// dotnet run --project bench/Detect.Bench.Analysis -c Release -- contours [size=500] [frames=6]
// dotnet run --project bench/Detect.Bench.Analysis -c Release -- blobs [size=8000] [dump-prefix]   (bench/blobs-bench.sh)
// dotnet run --project bench/Detect.Bench.Analysis -c Release -- blob-fixtures DIR   (the test heatmaps for blob_doh_reference.py --fixtures)
var mode = args.FirstOrDefault() ?? "contours";
int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i]) : fallback;
switch (mode)
{
    case "contours": ContourBench.Run(Arg(1, 500), Arg(2, 6)); break;
    case "blobs": BlobBench.Run(Arg(1, 8000), args.Length > 2 ? args[2] : null); break;
    case "blob-fixtures" when args.Length == 2: BlobBench.DumpFixtures(args[1]); break;
    default: Console.Error.WriteLine($"unknown benchmark '{mode}': contours, blobs or blob-fixtures DIR"); return 2;
}
return 0;
