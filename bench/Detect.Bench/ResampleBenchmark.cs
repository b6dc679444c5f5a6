using System.Diagnostics;
using Detect.Tasks.Native.Gdal;
using Detect.Tasks.Tiling;

namespace Detect.Bench;

/// <summary>
/// Resampling one scene's coarser rasters onto a 900 px, 10 m tile of its own zone (what every scene costs a mosaic):
/// the six 20 m bands and the two 60 m bands (bilinear) and the 20 m mask (nearest), each through GDAL's warper band by
/// band (the reference) and through what the pipeline calls (<see cref="GdalWarp.BandsToGrid{T}"/>, which takes the
/// written-out kernels for nested lattices), compared value by value.
/// </summary>
internal static class ResampleBenchmark
{
    public static void Run(int repeats)
    {
        var grid = Tile.Parse("32750_x0037_y1057").PaddedGrid;
        Console.WriteLine($"one scene's rasters onto a {grid.Width} px tile, mean of {repeats} (ms per scene):");
        Console.WriteLine("| rasters | GDAL warper, band by band | as the pipeline resamples | pixels differing from GDAL |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        Row("six 20 m bands, bilinear", grid, 20, 6, GdalDataType.UInt16, Resampling.Bilinear, repeats);
        Row("two 60 m bands, bilinear", grid, 60, 2, GdalDataType.UInt16, Resampling.Bilinear, repeats);
        Row("20 m mask, nearest", grid, 20, 1, GdalDataType.Byte, Resampling.Nearest, repeats);
    }

    private static void Row(string name, RasterGrid grid, int resolution, int bands, GdalDataType type, Resampling resampling, int repeats)
    {
        // The window a scene on the 60 m lattice offers the tile (+2 source px margin, as SourceWindow reads it).
        var margin = 2 * resolution;
        var size = grid.Width * 10 / resolution + 4;
        var random = new Random(resolution + bands);
        using var source = GdalDataset.CreateInMemory(size, size, bands, type);
        source.GeoTransform = GeoTransform.NorthUp(grid.Transform.OriginX - margin, grid.Transform.OriginY + margin, resolution);
        source.ProjectionWkt = grid.Wkt;
        var singles = new List<GdalDataset>();
        for (var b = 1; b <= bands; b++)
        {
            var values = new ushort[size * size];
            for (var i = 0; i < values.Length; i++) values[i] = type == GdalDataType.Byte ? (ushort)random.Next(1, 12) : (ushort)random.Next(200, 9000);
            var single = GdalDataset.CreateInMemory(size, size, 1, type);
            single.GeoTransform = source.GeoTransform;
            single.ProjectionWkt = source.ProjectionWkt;
            foreach (var (dataset, band) in new[] { (source, b), (single, 1) })
            {
                dataset.SetNoData(band, 0);
                if (type == GdalDataType.Byte) dataset.Write<byte>(band, 0, 0, size, size, values.Select(v => (byte)v).ToArray());
                else dataset.Write<ushort>(band, 0, 0, size, size, values);
            }
            singles.Add(single);
        }
        var n = grid.PixelCount;
        var differing = 0;
        double tGdal, tPipeline;
        if (type == GdalDataType.Byte)
        {
            var (gdal, pipeline) = (new byte[bands * n], new byte[bands * n]);
            tGdal = Time(repeats, () => { for (var b = 0; b < bands; b++) GdalWarp.WarpBand<byte>(singles[b], grid, resampling, 0, 0, type, gdal.AsSpan(b * n, n)); });
            tPipeline = Time(repeats, () => GdalWarp.BandsToGrid<byte>(source, grid, resampling, 0, 0, type, pipeline));
            differing = gdal.Zip(pipeline).Count(p => p.First != p.Second);
        }
        else
        {
            var (gdal, pipeline) = (new ushort[bands * n], new ushort[bands * n]);
            tGdal = Time(repeats, () => { for (var b = 0; b < bands; b++) GdalWarp.WarpBand<ushort>(singles[b], grid, resampling, 0, 0, type, gdal.AsSpan(b * n, n)); });
            tPipeline = Time(repeats, () => GdalWarp.BandsToGrid<ushort>(source, grid, resampling, 0, 0, type, pipeline));
            differing = gdal.Zip(pipeline).Count(p => p.First != p.Second);
        }
        foreach (var single in singles) single.Dispose();
        Console.WriteLine($"| {name} | {tGdal:0.0} | {tPipeline:0.0} | {differing:N0} of {bands * n:N0} |");
    }

    private static double Time(int repeats, Action action)
    {
        action(); // warm-up
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < repeats; i++) action();
        return clock.Elapsed.TotalMilliseconds / repeats;
    }
}
