using Detect.Engine.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Detect.Tasks.Models;

/// <summary>
/// Puts models into a store's <c>models/</c> (the verb <c>detect models import &lt;dir&gt; [--store URI]</c>):
/// takes the .onnx files of a folder as they are, or converts its Keras .h5 files, checks every sha256
/// against the manifest — all of them before uploading any, so a bad file leaves the store unchanged.
/// </summary>
public sealed class ModelImporter(ModelManifest manifest, ModelConverter converter, ILogger? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    public ModelImporter() : this(ModelManifest.Default, ModelConverter.Locate()) { }

    /// <summary>Imports every model found in <paramref name="sourceDirectory"/>; returns the models uploaded.</summary>
    public async Task<IReadOnlyList<ModelEntry>> ImportAsync(string sourceDirectory, IObjectStore store, CancellationToken ct = default)
    {
        if (!Directory.Exists(sourceDirectory))
            throw new DirectoryNotFoundException($"Model folder {sourceDirectory} does not exist.");
        var found = FindModelFiles(sourceDirectory);
        if (found.Count == 0)
            throw new InvalidOperationException(
                $"No model files (.onnx or Keras .h5) in {sourceDirectory}. Known models: {string.Join(", ", manifest.Models.Select(m => m.Name))}.");

        var work = Path.Combine(Path.GetTempPath(), "detect-import-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(work);
        try
        {
            var ready = new List<(ModelEntry Entry, ModelArtifact Artifact, string Path)>();
            var problems = new List<string>();
            foreach (var (entry, files) in found)
            {
                try { ready.AddRange((await PrepareAsync(entry, files, work, ct)).Select(r => (entry, r.Artifact, r.Path))); }
                catch (Exception e) when (e is ModelIntegrityException or InvalidOperationException or FileNotFoundException)
                {
                    problems.Add(e.Message);
                }
            }
            if (problems.Count > 0)
                throw new ModelIntegrityException($"Nothing was imported into {store.Uri}: {string.Join(" | ", problems)}");

            foreach (var (entry, artifact, path) in ready)
            {
                await store.PublishFileAsync(artifact.StoreKey, path, ct);
                _logger.LogInformation("imported {Model} as {Uri}", entry.Name, store.UriOf(artifact.StoreKey));
            }
            return ready.Select(r => r.Entry).Distinct().ToList();
        }
        finally { Directory.Delete(work, recursive: true); }
    }

    /// <summary>The model files found per model; a .h5 or .onnx file the manifest does not know is an error.</summary>
    private List<(ModelEntry Entry, List<string> Files)> FindModelFiles(string directory)
    {
        var byModel = new Dictionary<string, (ModelEntry Entry, List<string> Files)>(StringComparer.Ordinal);
        var unknown = new List<string>();
        var files = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".onnx", StringComparison.Ordinal) || f.EndsWith(".h5", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            var entry = manifest.Models.FirstOrDefault(m =>
                Path.GetFileName(m.SourceFile) == name || m.Artifacts.Any(a => Path.GetFileName(a.File) == name));
            if (entry is null) { unknown.Add(file); continue; }
            if (!byModel.TryGetValue(entry.Name, out var found)) byModel[entry.Name] = found = (entry, []);
            found.Files.Add(file);
        }
        if (unknown.Count > 0)
            throw new UnknownModelException(
                $"Unknown model file(s) {string.Join(", ", unknown)}: the models manifest knows " +
                $"{string.Join(", ", manifest.Models.Select(m => $"{m.Name} ({string.Join(" / ", m.Artifacts.Select(a => Path.GetFileName(a.File)).Append(Path.GetFileName(m.SourceFile)))})"))}. " +
                "Nothing was imported.");
        return byModel.Values.OrderBy(v => v.Entry.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Every ONNX file of the model, verified: taken as they are when all are given, otherwise converted from
    /// the Keras file (whose sha256 is checked first).
    /// </summary>
    private async Task<List<(ModelArtifact Artifact, string Path)>> PrepareAsync(ModelEntry entry, List<string> files, string work, CancellationToken ct)
    {
        string? Given(string name) => files.FirstOrDefault(f => Path.GetFileName(f) == Path.GetFileName(name));
        var result = new List<(ModelArtifact, string)>();
        var h5 = Given(entry.SourceFile);
        if (entry.Artifacts.All(a => Given(a.File) is not null) || h5 is null)
        {
            foreach (var artifact in entry.Artifacts)
            {
                var path = Given(artifact.File) ?? throw new FileNotFoundException(
                    $"Model {entry.Name}: {Path.GetFileName(artifact.File)} is missing beside the other ONNX files; " +
                    $"give all of {string.Join(", ", entry.Artifacts.Select(a => Path.GetFileName(a.File)))} or the Keras file {Path.GetFileName(entry.SourceFile)}.");
                Sha256File.Verify(path, artifact.Sha256, $"ONNX of {entry.Name}");
                result.Add((artifact, path));
            }
            return result;
        }
        Sha256File.Verify(h5, entry.SourceSha256, $"Keras source of {entry.Name}");
        foreach (var artifact in entry.Artifacts)
        {
            var onnx = Path.Combine(work, artifact.File);
            Directory.CreateDirectory(Path.GetDirectoryName(onnx)!);
            await converter.ConvertAsync(h5, onnx, artifact == entry.Grid ? "grid" : null, ct);
            Sha256File.Verify(onnx, artifact.Sha256, $"ONNX of {entry.Name}, converted from {h5}");
            result.Add((artifact, onnx));
        }
        return result;
    }
}
