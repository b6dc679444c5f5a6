using NetTopologySuite.Geometries;

namespace Detect.Synthetic;

/// <summary>What the synthetic imagery generator makes. Every random choice derives from <see cref="Seed"/>.</summary>
public sealed record SyntheticOptions
{
    /// <summary>Area to cover (WGS84); scenes span its bounding box plus <see cref="MarginMetres"/>.</summary>
    public required Geometry Roi { get; init; }
    public required DateOnly Start { get; init; }
    /// <summary>Exclusive.</summary>
    public required DateOnly End { get; init; }
    public int Seed { get; init; } = 1;
    /// <summary>Days between acquisitions (Sentinel-2 revisits every 5 days; 10 keeps tests small).</summary>
    public int RevisitDays { get; init; } = 10;
    public double MarginMetres { get; init; } = 500;

    public int SiteCount { get; init; } = 3;
    public SiteSpectra SiteSpectrum { get; init; } = SiteSpectra.Site;
    /// <summary>Disc (80 m: its 20/60 m bands at the centre mix little), surround, core and water-free radius of every site.</summary>
    public SiteLayout SiteLayout { get; init; } = SiteLayout.Default;

    /// <summary>Decoys are planted round-robin from these spectra.</summary>
    public IReadOnlyList<SiteSpectra> DecoySpectra { get; init; } = [SiteSpectra.BareSoil, SiteSpectra.Urban];
    public int DecoyCount { get; init; } = 4;
    /// <summary>Decoys are discs as large as a site's disc: only their spectrum tells them apart.</summary>
    public double DecoyRadiusMetres { get; init; } = SiteLayout.Default.DiscRadiusMetres;
    /// <summary>
    /// Minimum distance between decoys (centre to centre). Anything else keeps out of a site's water-free
    /// radius, which holds the patch classifier's windows over the site.
    /// </summary>
    public double MinSpacingMetres { get; init; } = 300;

    /// <summary>Per-pixel multiplicative Gaussian noise (standard deviation as a fraction of the DN).</summary>
    public double Noise { get; init; } = 0.02;
    /// <summary>Mean share of each scene under cloud (each scene draws 0 … 2× this).</summary>
    public double CloudCover { get; init; } = 0.25;

    public void Validate()
    {
        if (End <= Start) throw new ArgumentException($"Synthetic imagery end {End:yyyy-MM-dd} must be after start {Start:yyyy-MM-dd}.");
        if (RevisitDays <= 0) throw new ArgumentException($"RevisitDays must be positive, not {RevisitDays}.");
        if (Noise is < 0 or > 0.5) throw new ArgumentException($"Noise {Noise} must be within 0 … 0.5.");
        if (CloudCover is < 0 or > 0.5) throw new ArgumentException($"CloudCover {CloudCover} must be within 0 … 0.5.");
        if (DecoyRadiusMetres <= 0) throw new ArgumentException($"DecoyRadiusMetres must be positive, not {DecoyRadiusMetres}.");
        if (SiteLayout.DiscRadiusMetres <= 0) throw new ArgumentException($"The site layout's disc radius must be positive, not {SiteLayout.DiscRadiusMetres}.");
        if (Roi.IsEmpty) throw new ArgumentException("The synthetic imagery ROI is empty.");
    }
}
