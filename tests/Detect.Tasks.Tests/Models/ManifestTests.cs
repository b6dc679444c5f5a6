using Detect.Tasks.Models;

namespace Detect.Tasks.Tests.Models;

[Collection(ConvertedModelsCollection.Name)]
public sealed class ManifestTests(ConvertedModels models)
{
    private static readonly string[] ExpectedModels =
    [
        "spectrogram_v0.0.11_2021-07-13",
        "v1.1.0_4-23-21_patch_classifier_45px_patch",
        .. "abcdef".Select(c => $"spectrogram_v0.0.11_unit_norm_{c}_2021-08-25"),
    ];

    [Fact]
    public void Embedded_manifest_is_the_repository_manifest()
    {
        var file = ModelManifest.Load(ModelTestPaths.ManifestFile);
        file.Models.Should().BeEquivalentTo(ModelManifest.Default.Models);
        file.Ensembles.Should().BeEquivalentTo(ModelManifest.Default.Ensembles);
    }

    [Fact]
    public void Manifest_lists_the_eight_models_and_the_ensemble_with_their_kinds()
    {
        var manifest = ModelManifest.Default;
        manifest.Models.Select(m => m.Name).Should().BeEquivalentTo(ExpectedModels);
        manifest.Get("spectrogram_v0.0.11_2021-07-13").Kind.Should().Be(ModelKind.Pixel);
        manifest.Get("v1.1.0_4-23-21_patch_classifier_45px_patch").Kind.Should().Be(ModelKind.Patch);
        manifest.Get("v1.1.0_4-23-21_patch_classifier_45px_patch").InputShape.Should().Equal(-1, 45, 45, 12);
        manifest.Get("spectrogram_v0.0.11_2021-07-13").InputShape.Should().Equal(-1, 24);
        manifest.MembersOf("v0.0.11_ensemble-8-25-21").Should().HaveCount(6)
            .And.OnlyContain(m => m.Kind == ModelKind.EnsembleMember && m.Ensemble == "v0.0.11_ensemble-8-25-21");
        manifest.Models.Should().OnlyContain(m => m.ClassIndex == 1 && m.OutputName == "probabilities");
        manifest.Models.Where(m => m.Grid is not null).Select(m => m.Name).Should().Equal("v1.1.0_4-23-21_patch_classifier_45px_patch");
    }

    [Fact]
    public void Manifest_source_hashes_match_the_keras_files()
    {
        var h5Files = Directory.EnumerateFiles(ModelTestPaths.KerasDir, "*.h5", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(ModelTestPaths.KerasDir, f)).ToList();
        ModelManifest.Default.Models.Select(m => m.SourceFile).Should().BeEquivalentTo(h5Files);
        foreach (var m in ModelManifest.Default.Models)
            Sha256File.Of(Path.Combine(ModelTestPaths.KerasDir, m.SourceFile)).Should().Be(m.SourceSha256, m.Name);
        ModelManifest.Default.Get("spectrogram_v0.0.11_2021-07-13").SourceSha256
            .Should().Be("9ad795ffbff74fc2edea2ba9eb2c9fe8423df1f8981d088026d4f2b2e64a2d4b"); // DATA.md
    }

    [Fact]
    public void Converting_the_keras_files_gives_the_onnx_hashes_the_manifest_pins()
    {
        foreach (var a in ModelManifest.Default.Models.SelectMany(m => m.Artifacts))
            Sha256File.Of(Path.Combine(models.Directory, a.File)).Should().Be(a.Sha256, a.File);
    }

    [Fact]
    public void Conversion_is_deterministic()
    {
        var dir = ModelTestPaths.NewTempDir("determinism");
        try
        {
            foreach (var m in ModelManifest.Default.Models.Where(m => m.Kind != ModelKind.EnsembleMember))
            {
                var again = Path.Combine(dir, Path.GetFileName(m.OnnxFile));
                ModelTestPaths.RunScript("convert.py", Path.Combine(ModelTestPaths.KerasDir, m.SourceFile), again);
                File.ReadAllBytes(again).Should().Equal(File.ReadAllBytes(models.PathOf(m.Name)), m.Name);
                if (m.Grid is null) continue;
                var grid = Path.Combine(dir, Path.GetFileName(m.Grid.File));
                ModelTestPaths.RunScript("convert.py", Path.Combine(ModelTestPaths.KerasDir, m.SourceFile), grid, "--form", "grid");
                File.ReadAllBytes(grid).Should().Equal(File.ReadAllBytes(Path.Combine(models.Directory, m.Grid.File)), m.Grid.File);
            }
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Unknown_model_name_lists_the_known_ones()
    {
        var act = () => ModelManifest.Default.Get("spectrogram_v9");
        act.Should().Throw<UnknownModelException>().WithMessage("*spectrogram_v9*spectrogram_v0.0.11_2021-07-13*v1.1.0_4-23-21_patch_classifier_45px_patch*");
        var ensemble = () => new EnsembleFiles { EnsembleModel = "nope" }.Output().ToList();
        ensemble.Should().Throw<UnknownModelException>().WithMessage("*nope*v0.0.11_ensemble-8-25-21*");
        var task = () => new ModelFile { Model = "nope" }.Output().ToList();
        task.Should().Throw<UnknownModelException>().WithMessage("*nope*spectrogram_v0.0.11_2021-07-13*");
    }
}
