using Detect.Engine.Storage;

namespace Detect.Engine.Watch;

/// <summary>Small whole objects (triggers, claims, result files) in and out of a store.</summary>
internal static class StoreBytes
{
    /// <summary>The object's bytes, or null when there is none.</summary>
    public static async Task<byte[]?> ReadAsync(IObjectStore store, string key, CancellationToken ct)
    {
        try
        {
            await using var stream = await store.OpenReadAsync(key, ct);
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, ct);
            return buffer.ToArray();
        }
        catch (ObjectNotFoundException) { return null; }
    }

    /// <summary>Writes the object whole (the store's publication: it appears complete or not at all).</summary>
    public static async Task WriteAsync(IObjectStore store, string key, ReadOnlyMemory<byte> content, CancellationToken ct)
    {
        var scratch = Path.Combine(Path.GetTempPath(), "detect-watch-" + Guid.NewGuid().ToString("N"));
        try
        {
            await File.WriteAllBytesAsync(scratch, content, ct);
            await store.PublishFileAsync(key, scratch, ct);
        }
        finally { File.Delete(scratch); }
    }
}
