using System.Text;
using Detect.Engine.Storage;

namespace Detect.Engine.Cli;

/// <summary>
/// Before <c>run</c> plans anything: one small exclusive object written to the store and removed again, so a store
/// this user cannot write (a read-only folder, an S3 identity without PutObject, a missing bucket) is reported once,
/// naming the store and the fix, instead of as the first task's failure — and nothing else has been written.
/// </summary>
internal static class StoreWriteCheck
{
    public static async Task EnsureAsync(IObjectStore store, CancellationToken ct)
    {
        var key = $".detect/write-check/{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";
        if (await store.TryCreateExclusiveAsync(key, Encoding.UTF8.GetBytes("detect run: write check\n"), ct))
            await store.ReleaseExclusiveAsync(key, ct);
    }
}
