using Detect.Tasks.Imagery;
using Detect.Tasks.Native.Gdal;

namespace Detect.Tasks.Mosaics;

/// <summary>
/// A 12-band cloud-free composite on a grid: float32 DNs in model band order (B01 … B12), band-major
/// (band b of pixel i at <c>Data[b·PixelCount + i]</c>, pixels row-major). A pixel with no clear observation
/// is NaN in every band — never 0.
/// </summary>
public sealed class Mosaic
{
    public Mosaic(RasterGrid grid, float[] data, ushort[] observations)
    {
        if (data.Length != SentinelBands.Count * grid.PixelCount)
            throw new ArgumentException($"Mosaic data has {data.Length} values; a {grid.Width}x{grid.Height} grid of {SentinelBands.Count} bands needs {SentinelBands.Count * grid.PixelCount}.");
        if (observations.Length != grid.PixelCount) throw new ArgumentException("Observation counts do not match the grid.");
        Grid = grid;
        Data = data;
        Observations = observations;
    }

    public RasterGrid Grid { get; }
    public int PixelCount => Grid.PixelCount;

    /// <summary>Band-major DNs, NaN where no clear observation.</summary>
    public float[] Data { get; }

    /// <summary>Clear observations that went into each pixel (0 = nodata).</summary>
    public ushort[] Observations { get; }

    public Span<float> Band(int band) => Data.AsSpan(band * PixelCount, PixelCount);

    public bool IsValid(int pixel) => Observations[pixel] > 0;

    public float this[int band, int pixel] => Data[band * PixelCount + pixel];

    /// <summary>Share of pixels with at least one clear observation.</summary>
    public double ValidFraction => PixelCount == 0 ? 0 : Observations.Count(o => o > 0) / (double)PixelCount;

    /// <summary>Share of valid pixels in a window of the grid (e.g. a 45 px patch).</summary>
    public double ValidFractionIn(int x, int y, int width, int height)
    {
        var valid = 0;
        for (var r = y; r < y + height; r++)
        for (var c = x; c < x + width; c++)
            if (Observations[r * Grid.Width + c] > 0) valid++;
        return valid / (double)(width * height);
    }

    public static Mosaic Empty(RasterGrid grid)
    {
        var data = new float[SentinelBands.Count * grid.PixelCount];
        Array.Fill(data, float.NaN);
        return new Mosaic(grid, data, new ushort[grid.PixelCount]);
    }
}
