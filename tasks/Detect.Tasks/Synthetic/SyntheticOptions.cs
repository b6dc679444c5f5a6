using NetTopologySuite.Geometries;

namespace Detect.Tasks.Synthetic;

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
    public SiteSpectra SiteSpectrum { get; init; } = SiteSpectra.ReferenceSite;
    /// <summary>75 m: wide enough that the 60 m bands (B01, B09) at the centre are mostly the site, not a mix.</summary>
    public double SiteRadiusMetres { get; init; } = 75;

    /// <summary>Decoys are planted round-robin from these spectra.</summary>
    public IReadOnlyList<SiteSpectra> DecoySpectra { get; init; } = [SiteSpectra.BareSoil, SiteSpectra.Urban];
    public int DecoyCount { get; init; } = 4;
    public double DecoyRadiusMetres { get; init; } = 75;
    /// <summary>Minimum distance between planted features (centre to centre).</summary>
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
        if (Roi.IsEmpty) throw new ArgumentException("The synthetic imagery ROI is empty.");
    }
}
