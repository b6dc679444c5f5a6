namespace Detect.Tasks.Native.Gdal;

/// <summary>Writes Cloud-Optimized GeoTIFFs through GDAL's COG driver.</summary>
public static class Cog
{
    /// <summary>Default creation options: DEFLATE with a predictor, 256 px tiles.</summary>
    public static readonly IReadOnlyList<string> DefaultOptions = ["COMPRESS=DEFLATE", "PREDICTOR=YES", "BLOCKSIZE=256"];

    /// <summary>
    /// Writes <paramref name="source"/> (typically an in-memory dataset with CRS, geotransform, nodata and band
    /// descriptions set) as a COG at <paramref name="path"/>; a failure names the path.
    /// </summary>
    public static void Write(GdalDataset source, string path, IEnumerable<string>? creationOptions = null)
    {
        var directory = System.IO.Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory) && !path.StartsWith("/vsi", StringComparison.Ordinal))
            Directory.CreateDirectory(directory);
        source.CopyTo("COG", path, creationOptions ?? DefaultOptions);
    }

    /// <summary>
    /// Writes bands (each row-major, grid.Width × grid.Height) as a COG on <paramref name="grid"/>, with nodata
    /// and one description per band.
    /// </summary>
    public static void Write<T>(string path, RasterGrid grid, IReadOnlyList<ReadOnlyMemory<T>> bands,
        IReadOnlyList<string> descriptions, double? noData, IEnumerable<string>? creationOptions = null) where T : unmanaged
    {
        if (bands.Count == 0) throw new ArgumentException($"No bands to write to '{path}'.");
        if (descriptions.Count != bands.Count)
            throw new ArgumentException($"{bands.Count} bands but {descriptions.Count} descriptions for '{path}'.");
        using var memory = grid.CreateDataset(bands.Count, GdalDataTypes.Of<T>());
        for (var b = 0; b < bands.Count; b++)
        {
            if (bands[b].Length != grid.PixelCount)
                throw new ArgumentException($"Band {b + 1} for '{path}' has {bands[b].Length} values; the {grid.Width}x{grid.Height} grid needs {grid.PixelCount}.");
            memory.WriteBand(b + 1, bands[b].Span);
            memory.SetBandDescription(b + 1, descriptions[b]);
            if (noData is { } nd) memory.SetNoData(b + 1, nd);
        }
        Write(memory, path, creationOptions);
    }
}
