using Detect.Engine;
using Detect.Engine.Storage;

namespace Detect.Tasks.Models;

/// <summary>Copies a model's ONNX file from the store to a local path and verifies the manifest's sha256.</summary>
public static class ModelFetcher
{
    /// <summary>The local cache path of a model's ONNX file.</summary>
    public static string CachePath(ModelEntry entry, string? cacheDirectory = null) =>
        Path.Combine(cacheDirectory ?? TargetResolver.DefaultCacheDirectory(), "models", entry.OnnxFile);

    /// <summary>
    /// Downloads <c>models/&lt;file&gt;</c> to <paramref name="destination"/>; on a sha256 mismatch deletes it and
    /// throws <see cref="ModelIntegrityException"/> naming the file and both hashes.
    /// </summary>
    public static async Task FetchAsync(IObjectStore store, ModelEntry entry, string destination, CancellationToken ct = default)
    {
        if (!await store.ExistsAsync(entry.StoreKey, ct))
            throw new MissingInputException(
                $"Model {entry.Name}: {store.UriOf(entry.StoreKey)} does not exist. Import the models into the store with " +
                $"`detect models import <folder with the .h5 or .onnx files> --store {store.Uri}`.");
        await store.DownloadAsync(entry.StoreKey, destination, ct);
        try
        {
            var actual = Sha256File.Of(destination);
            if (!string.Equals(actual, entry.OnnxSha256, StringComparison.OrdinalIgnoreCase))
                throw new ModelIntegrityException(
                    $"Model {entry.Name}: {store.UriOf(entry.StoreKey)} has sha256 {actual}, but the models manifest pins " +
                    $"{entry.OnnxSha256}. The stored file is corrupt or another model; re-import it with `detect models import`.");
        }
        catch
        {
            File.Delete(destination);
            throw;
        }
    }
}
