using System.Globalization;
using System.Text;

namespace Detect.Synthetic.Search;

/// <summary>Everything the generator's defaults come from: negatives first, then the site spectrum, then its layout.</summary>
public sealed record SyntheticSpectraOutcome(
    IReadOnlyList<(SiteSpectra Spectrum, SpectrumSearchResult Result)> Negatives,
    SiteSpectra Site,
    SpectrumSearchResult SiteResult,
    LayoutScore Layout)
{
    /// <summary>The found values as C# initialisers for <see cref="SiteSpectra"/> and <see cref="SiteLayout"/>.</summary>
    public string ToCSharp()
    {
        var sb = new StringBuilder();
        foreach (var (spectrum, result) in Negatives.Append((Site, SiteResult)))
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"new(\"{spectrum.Name}\", {string.Join(", ", result.Dns)}); // objective {result.Objective:F2}, worst pixel {result.Worst.Pixel:G4}, ensemble {result.Worst.Ensemble:G4}, {result.Moves} moves");
        var l = Layout.Layout;
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"new SiteLayout({l.DiscRadiusMetres}, {l.SurroundRadiusMetres}, {l.Surround.Name}, {l.CoreRadiusMetres}, {l.CoreOffsetMetres}, {l.Core?.Name ?? "null"}, {l.WaterFreeRadiusMetres}); // worst patch {Layout.Worst:G4}");
        return sb.ToString();
    }
}

/// <summary>
/// The committed search that produced <see cref="SiteSpectra"/>'s site spectrum and <see cref="SiteLayout.Default"/>:
/// (1) background land cover and decoys kept as realistic shapes if their worst pixel/ensemble scores over
/// noisy, min-reduced copies mixed with each other stay below 0.1/0.5 (moved by at most 15 % per band if not);
/// (2) the site spectrum by pattern search from the reference spectrum, worst case with its 20/60 m bands
/// mixed with each candidate surround (= core) spectrum; (3) the site layout by exhaustive search against the patch classifier.
/// Deterministic for a given seed.
/// </summary>
public static class SyntheticSpectraSearch
{
    public static IReadOnlyList<SiteSpectra> SurroundCandidates => [SiteSpectra.Soil, SiteSpectra.BareSoil, SiteSpectra.Urban];
    /// <summary>Cores come from the same realistic shapes as surrounds: the site spectrum is made robust to mixing with them.</summary>
    public static IReadOnlyList<SiteSpectra> CoreCandidates => SurroundCandidates;
    public static IReadOnlyList<SiteSpectra> NegativeStarts =>
        [SiteSpectra.Water, SiteSpectra.Vegetation, SiteSpectra.Soil, SiteSpectra.BareSoil, SiteSpectra.Urban];

    public static SyntheticSpectraOutcome Run(SpectrumModels models, int seed = 1, TextWriter? log = null)
    {
        var scorer = new RobustScorer(models, new PixelNoiseModel(seed: seed));
        var negatives = new List<(SiteSpectra, SpectrumSearchResult)>();
        foreach (var start in NegativeStarts)
        {
            var result = SpectrumSearch.FindNegative(scorer, start, NegativeStarts);
            negatives.Add((new SiteSpectra(start.Name, result.Dns), result));
            log?.WriteLine($"{start.Name}: worst pixel {result.Worst.Pixel:G4}, ensemble {result.Worst.Ensemble:G4}, {result.Moves} moves");
        }
        var found = negatives.ToDictionary(n => n.Item1.Name, n => n.Item1);
        var surrounds = SurroundCandidates.Select(s => found[s.Name]).ToList();
        var cores = CoreCandidates.Select(s => found[s.Name]).ToList();

        var siteResult = SpectrumSearch.FindSite(scorer, SiteSpectra.ReferenceSite, surrounds);
        var site = new SiteSpectra("site", siteResult.Dns);
        log?.WriteLine($"site: {string.Join(", ", siteResult.Dns)}: worst pixel {siteResult.Worst.Pixel:G4}, ensemble {siteResult.Worst.Ensemble:G4}, {siteResult.Moves} moves");

        var layout = new LayoutSearch(models.Patch, site, seed: seed).Find(surrounds, cores);
        log?.WriteLine($"layout: {layout.Layout.Describe()}: worst patch {layout.Worst:G4}");
        return new SyntheticSpectraOutcome(negatives, site, siteResult, layout);
    }
}
