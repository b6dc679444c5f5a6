using System.ComponentModel;
using Detect.Engine;
using Detect.Engine.Parameters;
using Detect.Tasks.Inference;
using Microsoft.Extensions.Logging;

namespace Detect.Tasks.Models;

/// <summary>
/// Fetches one model's ONNX file from the store (<c>models/&lt;file&gt;</c>) into the local cache and checks the
/// sha256 the models manifest pins. Open it with <see cref="OpenPixelModel(TargetResolver, InferenceSettings, ILogger)"/> / <see cref="OpenPatchGridModel"/>, or find
/// it with <see cref="LocalPath"/>, through the resolver of the run (its cache folder).
/// </summary>
[Description("Fetch a model's ONNX file from the store's models/ into the local cache, verifying its sha256 against the models manifest.")]
[TaskIdParameters(nameof(Model))]
[Inherits(typeof(Pipeline.Detect))] // the pixel model by default; PatchTile asks for its patch model by name
public sealed class ModelFile : LocalCacheTask
{
    [Parameter(Help = "model name as in models-manifest/manifest.json"), KnownModel]
    public string Model { get; init; } = "";

    public ModelEntry Entry => ModelManifest.Default.Get(Model);

    /// <summary>Where the verified ONNX file lies once this task is complete, in the cache of <paramref name="targets"/>.</summary>
    public string LocalPath(TargetResolver targets) => targets.PathOf(ModelFetcher.CacheTarget(Entry.Onnx));

    /// <summary>The patch model's tile form (<see cref="PatchGridModel"/>), fetched beside it; null for pixel models.</summary>
    public string? GridLocalPath(TargetResolver targets) => Entry.Grid is { } grid ? targets.PathOf(ModelFetcher.CacheTarget(grid)) : null;

    public override IEnumerable<Target> Output() => Entry.Artifacts.Select(ModelFetcher.CacheTarget);

    /// <summary>Opens the fetched pixel model (sha256 checked again, class index from the manifest).</summary>
    public PixelModel OpenPixelModel(TargetResolver targets, InferenceSettings? settings = null, ILogger? logger = null) =>
        OpenPixelModel(Entry, LocalPath(targets), settings, logger);

    internal static PixelModel OpenPixelModel(ModelEntry entry, string path, InferenceSettings? settings, ILogger? logger)
    {
        if (entry.Kind == ModelKind.Patch) throw new ArgumentException($"Model {entry.Name} is a patch model, not a pixel model.");
        Sha256File.Verify(path, entry.OnnxSha256, $"cached ONNX of {entry.Name}");
        return new PixelModel(path, settings, logger, entry.ClassIndex);
    }

    /// <summary>Opens the fetched patch model's tile form (sha256 checked again), which scores every 45 px window at stride 8 in one pass.</summary>
    public PatchGridModel OpenPatchGridModel(TargetResolver targets, InferenceSettings? settings = null, ILogger? logger = null)
    {
        var grid = Entry.Grid ?? throw new ArgumentException($"Model {Model} has no tile (grid) form; only the patch model has.");
        var path = targets.PathOf(ModelFetcher.CacheTarget(grid));
        Sha256File.Verify(path, grid.Sha256, $"cached ONNX (tile form) of {Model}");
        return new PatchGridModel(path, settings, logger, Entry.ClassIndex);
    }

    /// <summary>Opens the fetched patch model (sha256 checked again, class index from the manifest).</summary>
    public PatchModel OpenPatchModel(TargetResolver targets, InferenceSettings? settings = null, ILogger? logger = null)
    {
        var entry = Entry;
        if (entry.Kind != ModelKind.Patch) throw new ArgumentException($"Model {Model} is a pixel model, not a patch model.");
        var path = LocalPath(targets);
        Sha256File.Verify(path, entry.OnnxSha256, $"cached ONNX of {Model}");
        return new PatchModel(path, settings, logger, entry.ClassIndex);
    }

    public override async Task RunAsync(TaskContext context)
    {
        foreach (var (artifact, target) in Entry.Artifacts.Zip(Output()))
            await ModelFetcher.FetchAsync(context.Store, Model, artifact, context.StagePath(target), context.CancellationToken);
    }
}

/// <summary>Fetches every member of an ensemble (see <see cref="ModelFile"/>).</summary>
[Description("Fetch the ONNX files of an ensemble's members from the store's models/ into the local cache, verifying their sha256.")]
[TaskIdParameters(nameof(EnsembleModel))]
[Inherits(typeof(Pipeline.Detect))]
public sealed class EnsembleFiles : LocalCacheTask
{
    [Parameter(Help = "ensemble name as in models-manifest/manifest.json"), KnownModel(Ensemble = true)]
    public string EnsembleModel { get; init; } = "";

    public IReadOnlyList<ModelEntry> Members => ModelManifest.Default.MembersOf(EnsembleModel);

    /// <summary>The members' verified ONNX files, in manifest order, in the cache of <paramref name="targets"/>.</summary>
    public IReadOnlyList<string> LocalPaths(TargetResolver targets) => Output().Select(t => targets.PathOf((CacheFileTarget)t)).ToList();

    public override IEnumerable<Target> Output() => Members.Select(m => ModelFetcher.CacheTarget(m.Onnx));

    /// <summary>Opens the fetched members as one ensemble (median), each sha256 checked again.</summary>
    public EnsembleModel OpenEnsemble(TargetResolver targets, InferenceSettings? settings = null, ILogger? logger = null)
    {
        var paths = LocalPaths(targets);
        foreach (var (member, path) in Members.Zip(paths))
            Sha256File.Verify(path, member.OnnxSha256, $"cached ONNX of {member.Name}");
        return new EnsembleModel(paths, settings, logger);
    }

    public override async Task RunAsync(TaskContext context)
    {
        foreach (var (member, target) in Members.Zip(Output()))
            await ModelFetcher.FetchAsync(context.Store, member, context.StagePath(target), context.CancellationToken);
    }
}
