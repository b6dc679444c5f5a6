using System.ComponentModel;
using Detect.Engine;
using Detect.Engine.Parameters;

namespace Detect.Tasks.Models;

/// <summary>
/// Fetches one model's ONNX file from the store (<c>models/&lt;file&gt;</c>) into the local cache and checks the
/// sha256 the models manifest pins. Use <see cref="LocalPath"/> (or the output's path) to open it.
/// </summary>
[Description("Fetch a model's ONNX file from the store's models/ into the local cache, verifying its sha256 against the models manifest.")]
public sealed class ModelFile : LocalCacheTask
{
    [Parameter(Help = "model name as in models-manifest/manifest.json")]
    public string Model { get; init; } = "spectrogram_v0.0.11_2021-07-13";

    public ModelEntry Entry => ModelManifest.Default.Get(Model);

    /// <summary>Where the verified ONNX file lies once this task is complete.</summary>
    public string LocalPath => ModelFetcher.CachePath(Entry);

    public override IEnumerable<Target> Output() => [new LocalFileTarget(LocalPath)];

    public override async Task RunAsync(TaskContext context)
    {
        var target = Output().Single();
        await ModelFetcher.FetchAsync(context.Store, Entry, context.StagePath(target), context.CancellationToken);
    }
}

/// <summary>Fetches every member of an ensemble (see <see cref="ModelFile"/>).</summary>
[Description("Fetch the ONNX files of an ensemble's members from the store's models/ into the local cache, verifying their sha256.")]
public sealed class EnsembleFiles : LocalCacheTask
{
    [Parameter(Help = "ensemble name as in models-manifest/manifest.json")]
    public string EnsembleModel { get; init; } = "v0.0.11_ensemble-8-25-21";

    public IReadOnlyList<ModelEntry> Members => ModelManifest.Default.MembersOf(EnsembleModel);

    /// <summary>The members' verified ONNX files, in manifest order.</summary>
    public IReadOnlyList<string> LocalPaths => Members.Select(m => ModelFetcher.CachePath(m)).ToList();

    public override IEnumerable<Target> Output() => LocalPaths.Select(p => new LocalFileTarget(p));

    public override async Task RunAsync(TaskContext context)
    {
        foreach (var (member, target) in Members.Zip(Output()))
            await ModelFetcher.FetchAsync(context.Store, member, context.StagePath(target), context.CancellationToken);
    }
}
