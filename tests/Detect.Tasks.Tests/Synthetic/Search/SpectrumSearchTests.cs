using Detect.Tasks.Inference;
using Detect.Synthetic;
using Detect.Synthetic.Search;
using Detect.Tasks.Tests.Models;

namespace Detect.Tasks.Tests.Synthetic.Search;

/// <summary>
/// The committed synthetic spectra and site layout against the real models, under noise drawn with another
/// seed than the search used; and the search itself reproducing the committed site spectrum.
/// </summary>
[Collection(ConvertedModelsCollection.Name)]
public sealed class SpectrumSearchTests(ConvertedModels converted)
{
    private const int VerificationSeed = 2;
    private static readonly InferenceSettings Cpu = new() { Device = InferenceDevice.Cpu };
    private SpectrumModels Models => SpectrumModels.FromOnnxDirectory(converted.Directory, Cpu);

    private static float[] Floats(SiteSpectra s) => s.Dns.Select(v => (float)v).ToArray();

    [Fact]
    public void Site_spectrum_scores_above_0_9_on_the_pixel_model_and_0_5_on_the_ensemble_in_its_worst_case()
    {
        var scorer = new RobustScorer(Models, new PixelNoiseModel(copies: 162, seed: VerificationSeed));
        var neighbours = SyntheticSpectraSearch.SurroundCandidates.Select(Floats).ToList();

        var worst = scorer.Lowest([Floats(SiteSpectra.Site)], neighbours, RobustScorer.SiteMixing)[0];

        worst.Pixel.Should().BeGreaterThan(0.9f);
        worst.Ensemble.Should().BeGreaterThan(0.5f);
    }

    [Fact]
    public void Background_and_decoy_spectra_score_below_0_1_in_their_worst_case_mixed_with_each_other()
    {
        var scorer = new RobustScorer(Models, new PixelNoiseModel(copies: 162, seed: VerificationSeed));
        var negatives = SyntheticSpectraSearch.NegativeStarts;

        foreach (var spectrum in negatives)
        {
            var others = negatives.Where(n => n != spectrum).Select(Floats).ToList();
            var worst = scorer.Highest([Floats(spectrum)], others, RobustScorer.EdgeMixing)[0];
            worst.Pixel.Should().BeLessThan(0.1f, spectrum.Name);
            worst.Ensemble.Should().BeLessThan(0.5f, spectrum.Name);
        }
        // The site mixed half with any of them is no longer a site for the pixel model: mixing is not a loophole.
        var halfSite = scorer.Highest([Floats(SiteSpectra.Site)], [Floats(SiteSpectra.Vegetation)], RobustScorer.EdgeMixing)[0];
        halfSite.Pixel.Should().BeGreaterThan(0.9f, "unmixed copies of the site are among the copies");
    }

    [Fact]
    public void Site_layout_scores_above_0_9_on_the_patch_classifier_at_every_window_offset_while_a_bare_disc_over_vegetation_does_not()
    {
        var search = new LayoutSearch(Models.Patch, SiteSpectra.Site, seed: VerificationSeed);
        var layout = SiteLayout.Default;

        search.Worst(layout, LayoutSearch.LandBackgrounds).Should().BeGreaterThan(0.9f);
        search.Worst(layout, LayoutSearch.WaterBeyond(layout.WaterFreeRadiusMetres)).Should().BeGreaterThan(0.9f);

        var bareDisc = layout with { SurroundRadiusMetres = 0, Core = null };
        search.Worst(bareDisc, [LayoutSearch.LandBackgrounds[0]]).Should().BeLessThan(0.3f, "the surround and core are what the patch classifier needs");
    }

    [Fact]
    public void Site_layout_centre_mixes_no_more_than_the_site_spectrum_was_made_robust_to()
    {
        var (twenty, sixty) = SiteLayout.Default.CentreMixing();

        twenty.Should().BeLessThanOrEqualTo(RobustScorer.MaxTwentyMetreMix);
        sixty.Should().BeLessThanOrEqualTo(RobustScorer.MaxSixtyMetreMix);
        new SiteLayout(60, 160, SiteSpectra.Soil, 15, 0, SiteSpectra.Urban, 300).CentreMixing().TwentyMetre
            .Should().BeGreaterThan(0.5, "a core on the centre fills the centre's 20 m bands");
    }

    [Fact]
    public void Site_search_from_the_reference_spectrum_reproduces_the_committed_site_spectrum()
    {
        var scorer = new RobustScorer(Models, new PixelNoiseModel(seed: 1));
        var result = SpectrumSearch.FindSite(scorer, SiteSpectra.ReferenceSite, SyntheticSpectraSearch.SurroundCandidates);

        result.Objective.Should().BeGreaterThan(0);
        result.Dns.Should().Equal(SiteSpectra.Site.Dns);
    }
}
