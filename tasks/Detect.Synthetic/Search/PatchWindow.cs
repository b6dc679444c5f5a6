using Detect.Tasks.Inference;

namespace Detect.Synthetic.Search;

/// <summary>What lies around a site in a test window: one spectrum, two halves, or water beyond a radius.</summary>
public sealed record WindowBackground(string Name, SiteSpectra Inner, SiteSpectra? Outer = null, double OuterBeyondMetres = double.PositiveInfinity, bool SplitVertically = false)
{
    public SiteSpectra At(double east, double north) =>
        Outer is null ? Inner
        : SplitVertically ? (east < 0 ? Inner : Outer)
        : east * east + north * north > OuterBeyondMetres * OuterBeyondMetres ? Outer : Inner;
}

/// <summary>
/// Renders the patch classifier's 45 × 45 × 12 window (NHWC DNs) with a site at a pixel offset from the
/// window's centre pixel, with per-pixel multiplicative noise reduced by a minimum over k acquisitions.
/// </summary>
public static class PatchWindow
{
    private const double PixelMetres = 10;

    public static void Render(Span<float> window, SiteLayout layout, SiteSpectra site, WindowBackground background,
        double offsetEast, double offsetSouth, double noise, int acquisitions, Random random)
    {
        const int size = PatchModel.Size;
        var centre = size / 2 + 0.5; // the centre of pixel 22
        for (var r = 0; r < size; r++)
        for (var c = 0; c < size; c++)
        {
            var east = (c + 0.5 - centre - offsetEast) * PixelMetres;
            var north = -(r + 0.5 - centre - offsetSouth) * PixelMetres;
            var spectrum = layout.PartAt(east, north) switch
            {
                SitePart.Disc => site,
                SitePart.Core => layout.Core!,
                SitePart.Surround => layout.Surround,
                _ => background.At(east, north),
            };
            var pixel = window.Slice((r * size + c) * PatchModel.Bands, PatchModel.Bands);
            for (var b = 0; b < PatchModel.Bands; b++)
            {
                var factor = double.MaxValue;
                for (var k = 0; k < acquisitions; k++) factor = Math.Min(factor, 1 + noise * PixelNoiseModel.Gaussian(random));
                pixel[b] = (float)(spectrum.Dns[b] * factor);
            }
        }
    }
}
