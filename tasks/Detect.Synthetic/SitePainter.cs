using Detect.Tasks.Native.Gdal;

namespace Detect.Synthetic;

/// <summary>Paints planted features into the 10 m canvas of spectrum indices.</summary>
internal static class SitePainter
{
    /// <summary>A disc of one spectrum (decoys).</summary>
    public static void PaintDisc(RasterGrid canvas, byte[] spectrumIndex, PlantedFeature feature, byte index) =>
        Paint(canvas, feature, feature.RadiusMetres, (east, north, i) =>
        {
            if (east * east + north * north <= feature.RadiusMetres * feature.RadiusMetres) spectrumIndex[i] = index;
        });

    /// <summary>A site: water within the layout's water-free radius becomes <paramref name="land"/>, then surround, disc and core.</summary>
    public static void PaintSite(RasterGrid canvas, byte[] spectrumIndex, PlantedFeature site, SiteLayout layout,
        IReadOnlyDictionary<SitePart, byte> parts, byte water, byte land)
    {
        var clear = layout.WaterFreeRadiusMetres;
        Paint(canvas, site, Math.Max(clear, layout.OuterRadiusMetres), (east, north, i) =>
        {
            var part = layout.PartAt(east, north);
            if (part != SitePart.Outside) spectrumIndex[i] = parts[part];
            else if (spectrumIndex[i] == water && east * east + north * north <= clear * clear) spectrumIndex[i] = land;
        });
    }

    /// <summary>Calls <paramref name="paint"/> with (east, north) metres from the feature for every pixel centre within <paramref name="reach"/>.</summary>
    private static void Paint(RasterGrid canvas, PlantedFeature feature, double reach, Action<double, double, int> paint)
    {
        var (col, row) = canvas.Transform.ToPixel(feature.X, feature.Y);
        var size = canvas.Transform.PixelWidth;
        var r = reach / size;
        for (var y = Math.Max(0, (int)Math.Floor(row - r)); y <= Math.Min(canvas.Height - 1, (int)Math.Ceiling(row + r)); y++)
        for (var x = Math.Max(0, (int)Math.Floor(col - r)); x <= Math.Min(canvas.Width - 1, (int)Math.Ceiling(col + r)); x++)
            paint((x + 0.5 - col) * size, (row - y - 0.5) * size, y * canvas.Width + x);
    }
}
