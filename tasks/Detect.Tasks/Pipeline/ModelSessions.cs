using System.Collections.Concurrent;
using Detect.Tasks.Inference;
using Microsoft.Extensions.Logging;

namespace Detect.Tasks.Pipeline;

/// <summary>One inference session per model file and device per process, shared by every task that uses it.</summary>
internal static class ModelSessions
{
    private static readonly ConcurrentDictionary<(string, InferenceDevice), Lazy<PixelModel>> PixelModels = new();
    private static readonly ConcurrentDictionary<(string, InferenceDevice), Lazy<PatchModel>> PatchModels = new();
    private static readonly ConcurrentDictionary<(string, InferenceDevice), Lazy<EnsembleModel>> Ensembles = new();

    public static PixelModel Pixel(string path, InferenceDevice device, ILogger logger) =>
        PixelModels.GetOrAdd((path, device), k => new(() => new PixelModel(k.Item1, Settings(device), logger))).Value;

    public static PatchModel Patch(string path, InferenceDevice device, ILogger logger) =>
        PatchModels.GetOrAdd((path, device), k => new(() => new PatchModel(k.Item1, Settings(device), logger))).Value;

    public static EnsembleModel Ensemble(IReadOnlyList<string> paths, InferenceDevice device, ILogger logger) =>
        Ensembles.GetOrAdd((string.Join("|", paths), device), _ => new(() => new EnsembleModel(paths, Settings(device), logger))).Value;

    private static InferenceSettings Settings(InferenceDevice device) => InferenceSettings.Default with { Device = device };
}
