using Detect.Engine;
using Detect.Engine.Storage;
using Detect.Tasks.Models;

namespace Detect.Tasks.Tests.Models;

[Collection(ConvertedModelsCollection.Name)]
public sealed class ModelImportAndFetchTests(ConvertedModels models) : IDisposable
{
    private readonly string _root = ModelTestPaths.NewTempDir("import");
    private readonly ModelImporter _importer = new(ModelManifest.Default,
        new ModelConverter(Path.Combine(ModelTestPaths.ManifestDir, "convert.py"), ModelTestPaths.Python));

    private LocalObjectStore NewStore() => new(Path.Combine(_root, "store"));

    [Fact]
    public async Task Importing_the_keras_folder_converts_and_uploads_all_models_with_pinned_hashes()
    {
        using var store = NewStore();
        var imported = await _importer.ImportAsync(ModelTestPaths.KerasDir, store);

        imported.Select(m => m.Name).Should().BeEquivalentTo(ModelManifest.Default.Models.Select(m => m.Name));
        var artifacts = ModelManifest.Default.Models.SelectMany(m => m.Artifacts).ToList();
        artifacts.Should().HaveCount(9, "8 models, and the patch model's tile form");
        foreach (var a in artifacts) Sha256File.Of(store.PathOf(a.StoreKey)).Should().Be(a.Sha256);
        (await store.ListAsync("")).Should().HaveCount(9);
    }

    [Fact]
    public async Task Onnx_files_are_taken_as_they_are_and_fetched_back_verified()
    {
        using var store = NewStore();
        await _importer.ImportAsync(models.Directory, store);
        var entry = ModelManifest.Default.Get("v1.1.0_4-23-21_patch_classifier_45px_patch");
        var local = Path.Combine(_root, "cache", "patch.onnx");

        await ModelFetcher.FetchAsync(store, entry, local);

        File.ReadAllBytes(local).Should().Equal(File.ReadAllBytes(models.PathOf(entry.Name)));
    }

    [Fact]
    public async Task A_tampered_onnx_file_fails_naming_file_and_hashes_and_leaves_the_store_unchanged()
    {
        var source = CopyOfConverted();
        var victim = Path.Combine(source, "spectrogram_v0.0.11_2021-07-13.onnx");
        FlipLastByte(victim);
        using var store = NewStore();

        var act = () => _importer.ImportAsync(source, store);

        var error = await act.Should().ThrowAsync<ModelIntegrityException>();
        error.Which.Message.Should().Contain(victim).And.Contain(Sha256File.Of(victim))
            .And.Contain(ModelManifest.Default.Get("spectrogram_v0.0.11_2021-07-13").OnnxSha256);
        (await store.ListAsync("")).Should().BeEmpty();
    }

    [Fact]
    public async Task A_tampered_keras_file_fails_before_anything_is_uploaded()
    {
        var source = Path.Combine(_root, "keras");
        Directory.CreateDirectory(source);
        var good = Path.Combine(source, "v1.1.0_4-23-21_patch_classifier_45px_patch.h5");
        File.Copy(Path.Combine(ModelTestPaths.KerasDir, "v1.1.0_4-23-21_patch_classifier_45px_patch.h5"), good);
        var bad = Path.Combine(source, "spectrogram_v0.0.11_2021-07-13.h5");
        File.Copy(Path.Combine(ModelTestPaths.KerasDir, "spectrogram_v0.0.11_2021-07-13.h5"), bad);
        FlipLastByte(bad);
        using var store = NewStore();

        var act = () => _importer.ImportAsync(source, store);

        (await act.Should().ThrowAsync<ModelIntegrityException>()).Which.Message
            .Should().Contain(bad).And.Contain("9ad795ffbff74fc2edea2ba9eb2c9fe8423df1f8981d088026d4f2b2e64a2d4b");
        (await store.ListAsync("")).Should().BeEmpty();
    }

    [Fact]
    public async Task An_unknown_model_file_is_an_error_listing_the_known_models()
    {
        var source = CopyOfConverted();
        File.WriteAllBytes(Path.Combine(source, "my_model.onnx"), [1, 2, 3]);
        using var store = NewStore();

        var act = () => _importer.ImportAsync(source, store);

        (await act.Should().ThrowAsync<UnknownModelException>()).Which.Message
            .Should().Contain("my_model.onnx").And.Contain("spectrogram_v0.0.11_2021-07-13");
        (await store.ListAsync("")).Should().BeEmpty();
    }

    [Fact]
    public async Task Fetching_a_tampered_stored_model_fails_naming_file_and_both_hashes_and_keeps_no_copy()
    {
        using var store = NewStore();
        var entry = ModelManifest.Default.Get("spectrogram_v0.0.11_2021-07-13");
        var stored = store.PathOf(entry.StoreKey);
        Directory.CreateDirectory(Path.GetDirectoryName(stored)!);
        File.Copy(models.PathOf(entry.Name), stored);
        FlipLastByte(stored);
        var local = Path.Combine(_root, "cache", "model.onnx");

        var act = () => ModelFetcher.FetchAsync(store, entry, local);

        (await act.Should().ThrowAsync<ModelIntegrityException>()).Which.Message
            .Should().Contain(entry.StoreKey).And.Contain(Sha256File.Of(stored)).And.Contain(entry.OnnxSha256);
        File.Exists(local).Should().BeFalse();
    }

    [Fact]
    public async Task Fetching_a_model_missing_from_the_store_says_how_to_import_it()
    {
        using var store = NewStore();
        var entry = ModelManifest.Default.Get("spectrogram_v0.0.11_2021-07-13");

        var act = () => ModelFetcher.FetchAsync(store, entry, Path.Combine(_root, "x.onnx"));

        (await act.Should().ThrowAsync<MissingInputException>()).Which.Message
            .Should().Contain(entry.StoreKey).And.Contain("detect models import");
    }

    [Fact]
    public void Model_tasks_cache_under_models_of_the_runs_cache_folder_with_the_manifest_file_names()
    {
        using var store = NewStore();
        using var targets = new TargetResolver(store, Path.Combine(_root, "my-cache"));
        var cache = Path.Combine(_root, "my-cache", "models") + "/";
        var ensemble = new EnsembleFiles();
        ensemble.LocalPaths(targets).Should().HaveCount(6).And.OnlyContain(p => p.StartsWith(cache + "v0.0.11_ensemble-8-25-21/"));
        new ModelFile().LocalPath(targets).Should().Be(cache + "spectrogram_v0.0.11_2021-07-13.onnx");
        new ModelFile().InvalidatesDependents.Should().BeFalse();
        var patch = new ModelFile { Model = "v1.1.0_4-23-21_patch_classifier_45px_patch" };
        patch.Output().Cast<CacheFileTarget>().Select(t => t.RelativePath).Should().Equal(
            "models/v1.1.0_4-23-21_patch_classifier_45px_patch.onnx", "models/v1.1.0_4-23-21_patch_classifier_45px_patch_grid.onnx");
        patch.GridLocalPath(targets).Should().Be(cache + "v1.1.0_4-23-21_patch_classifier_45px_patch_grid.onnx");
    }

    [Fact]
    public async Task Onnx_files_without_the_patch_models_tile_form_are_refused_naming_the_missing_file()
    {
        var source = CopyOfConverted();
        File.Delete(Path.Combine(source, "v1.1.0_4-23-21_patch_classifier_45px_patch_grid.onnx"));
        using var store = NewStore();

        var act = () => _importer.ImportAsync(source, store);

        (await act.Should().ThrowAsync<ModelIntegrityException>()).Which.Message
            .Should().Contain("v1.1.0_4-23-21_patch_classifier_45px_patch_grid.onnx is missing");
        (await store.ListAsync("")).Should().BeEmpty();
    }

    [Fact]
    public async Task A_fetched_model_opens_after_its_hash_is_checked_again_and_a_changed_cache_file_is_refused()
    {
        using var store = NewStore();
        await _importer.ImportAsync(models.Directory, store);
        var entry = ModelManifest.Default.Get("spectrogram_v0.0.11_2021-07-13");
        var local = Path.Combine(_root, "cache", entry.OnnxFile);
        await ModelFetcher.FetchAsync(store, entry, local);
        var settings = new Detect.Tasks.Inference.InferenceSettings { Device = Detect.Tasks.Inference.InferenceDevice.Cpu };

        ModelFile.OpenPixelModel(entry, local, settings, null).Device.Should().Be(Detect.Tasks.Inference.InferenceDevice.Cpu);

        FlipLastByte(local);
        var act = () => ModelFile.OpenPixelModel(entry, local, settings, null);
        act.Should().Throw<ModelIntegrityException>().WithMessage($"*{local}*{entry.OnnxSha256}*");
    }

    private string CopyOfConverted()
    {
        var copy = Path.Combine(_root, "onnx");
        foreach (var file in Directory.EnumerateFiles(models.Directory, "*.onnx", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(models.Directory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return copy;
    }

    private static void FlipLastByte(string path)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 0x5a;
        File.WriteAllBytes(path, bytes);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
