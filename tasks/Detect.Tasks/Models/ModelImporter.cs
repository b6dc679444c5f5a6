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
            var ready = new List<(ModelEntry Entry, string OnnxPath)>();
            var problems = new List<string>();
            foreach (var (entry, file) in found)
            {
                try { ready.Add((entry, await PrepareAsync(entry, file, work, ct))); }
                catch (Exception e) when (e is ModelIntegrityException or InvalidOperationException or FileNotFoundException)
                {
                    problems.Add(e.Message);
                }
            }
            if (problems.Count > 0)
                throw new ModelIntegrityException($"Nothing was imported into {store.Uri}: {string.Join(" | ", problems)}");

            foreach (var (entry, onnx) in ready)
            {
                await store.PublishFileAsync(entry.StoreKey, onnx, ct);
                _logger.LogInformation("imported {Model} as {Uri}", entry.Name, store.UriOf(entry.StoreKey));
            }
            return ready.Select(r => r.Entry).ToList();
        }
        finally { Directory.Delete(work, recursive: true); }
    }

    /// <summary>One file per model, .onnx preferred over .h5; a model file the manifest does not know is an error.</summary>
    private List<(ModelEntry Entry, string File)> FindModelFiles(string directory)
    {
        var byName = new Dictionary<string, (ModelEntry Entry, string File)>(StringComparer.Ordinal);
        var unknown = new List<string>();
        var files = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".onnx", StringComparison.Ordinal) || f.EndsWith(".h5", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            var entry = manifest.Models.FirstOrDefault(m => Path.GetFileName(m.OnnxFile) == name || Path.GetFileName(m.SourceFile) == name);
            if (entry is null) { unknown.Add(file); continue; }
            if (!byName.TryGetValue(entry.Name, out var existing) || (file.EndsWith(".onnx", StringComparison.Ordinal) && !existing.File.EndsWith(".onnx", StringComparison.Ordinal)))
                byName[entry.Name] = (entry, file);
        }
        if (unknown.Count > 0)
            throw new UnknownModelException(
                $"Unknown model file(s) {string.Join(", ", unknown)}: the models manifest knows " +
                $"{string.Join(", ", manifest.Models.Select(m => $"{m.Name} ({Path.GetFileName(m.OnnxFile)} or {Path.GetFileName(m.SourceFile)})"))}. " +
                "Nothing was imported.");
        return byName.Values.OrderBy(v => v.Entry.Name, StringComparer.Ordinal).ToList();
    }

    private async Task<string> PrepareAsync(ModelEntry entry, string file, string work, CancellationToken ct)
    {
        var onnx = file;
        if (file.EndsWith(".h5", StringComparison.Ordinal))
        {
            Sha256File.Verify(file, entry.SourceSha256, $"Keras source of {entry.Name}");
            onnx = Path.Combine(work, entry.OnnxFile);
            Directory.CreateDirectory(Path.GetDirectoryName(onnx)!);
            await converter.ConvertAsync(file, onnx, ct);
        }
        Sha256File.Verify(onnx, entry.OnnxSha256, $"ONNX of {entry.Name}" + (onnx == file ? "" : $", converted from {file}"));
        return onnx;
    }
}
