namespace Detect.Synthetic;

/// <summary>
/// A top-of-atmosphere spectrum: 12 L1C digital numbers in model band order (B01, B02, B03, B04, B05, B06,
/// B07, B08, B8A, B09, B11, B12).
/// </summary>
public sealed record SiteSpectra(string Name, IReadOnlyList<ushort> Dns)
{
    public SiteSpectra(string name, params ushort[] dns) : this(name, (IReadOnlyList<ushort>)dns)
    {
        if (dns.Length != 12) throw new ArgumentException($"Spectrum '{name}' has {dns.Length} values; 12 bands (B01 … B12) are needed.");
    }

    /// <summary>The reference plastic-site spectrum (scored > 0.9 by the default pixel model under 2 % noise).</summary>
    public static SiteSpectra ReferenceSite { get; } = new("site", 1515, 1701, 1603, 1466, 1624, 2519, 3444, 2799, 3750, 441, 2367, 947);

    /// <summary>
    /// The site spectrum <see cref="Search.SyntheticSpectraSearch"/> found (seed 1) from <see cref="ReferenceSite"/>.
    /// Worst case over 54 noisy, min-reduced pairs with its 20/60 m bands mixed with soil, bare soil or urban:
    /// pixel model 0.9995, ensemble median 0.999.
    /// </summary>
    public static SiteSpectra Site { get; } = new("site", 1434, 1701, 1603, 1580, 1698, 2519, 3444, 2799, 3750, 383, 2367, 910);

    // Background land cover and decoys: typical Sentinel-2 L1C values for the tropics, kept as they are by the
    // search because their worst case (noise, min mosaics, mixed 50 % with each other) stays < 0.003 on the
    // pixel model and < 0.0001 on the ensemble.
    public static SiteSpectra Water { get; } = new("water", 1300, 1050, 900, 650, 600, 500, 480, 420, 400, 150, 200, 150);
    public static SiteSpectra Vegetation { get; } = new("vegetation", 1250, 950, 850, 600, 1000, 2200, 2700, 2800, 3000, 900, 1700, 900);
    public static SiteSpectra Soil { get; } = new("soil", 1400, 1200, 1200, 1300, 1500, 1800, 2000, 2100, 2200, 600, 2600, 2000);
    public static SiteSpectra BareSoil { get; } = new("bare_soil", 1600, 1500, 1600, 1800, 2000, 2200, 2350, 2400, 2500, 700, 3200, 2600);
    public static SiteSpectra Urban { get; } = new("urban", 1700, 1600, 1600, 1650, 1750, 1900, 2000, 2050, 2100, 650, 2300, 2100);
    public static SiteSpectra Cloud { get; } = new("cloud", 4500, 4300, 4200, 4300, 4500, 4700, 4800, 4800, 4900, 1500, 3500, 2500);
}
