using Detect.Engine;
using Detect.Engine.Storage;

namespace Detect.Tasks.Models;

/// <summary>Copies a model's ONNX file from the store to a local path and verifies the manifest's sha256.</summary>
public static class ModelFetcher
{
    /// <summary>Where a model's file lies in the local cache (the run's cache folder, see <see cref="CacheFileTarget"/>).</summary>
    public static CacheFileTarget CacheTarget(ModelArtifact artifact) => new("models/" + artifact.File);

    /// <summary>
    /// Downloads <c>models/&lt;file&gt;</c> to <paramref name="destination"/>; on a sha256 mismatch deletes it and
    /// throws <see cref="ModelIntegrityException"/> naming the file and both hashes.
    /// </summary>
    public static Task FetchAsync(IObjectStore store, ModelEntry entry, string destination, CancellationToken ct = default) =>
        FetchAsync(store, entry.Name, entry.Onnx, destination, ct);

    public static async Task FetchAsync(IObjectStore store, string model, ModelArtifact artifact, string destination, CancellationToken ct = default)
    {
        if (!await store.ExistsAsync(artifact.StoreKey, ct))
            throw new MissingInputException(
                $"Model {model}: {store.UriOf(artifact.StoreKey)} does not exist. Import the models into the store with " +
                $"`detect models import <folder with the .h5 or .onnx files> --store {store.Uri}`.");
        await store.DownloadAsync(artifact.StoreKey, destination, ct);
        try
        {
            var actual = Sha256File.Of(destination);
            if (!string.Equals(actual, artifact.Sha256, StringComparison.OrdinalIgnoreCase))
                throw new ModelIntegrityException(
                    $"Model {model}: {store.UriOf(artifact.StoreKey)} has sha256 {actual}, but the models manifest pins " +
                    $"{artifact.Sha256}. The stored file is corrupt or another model; re-import it with `detect models import`.");
        }
        catch
        {
            File.Delete(destination);
            throw;
        }
    }
}
