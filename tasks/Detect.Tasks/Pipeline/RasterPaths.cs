using Detect.Engine;
using Detect.Tasks.Native.Gdal;

namespace Detect.Tasks.Pipeline;

/// <summary>
/// A path GDAL can open for a store target: where the store says it can be read in place (a local file, or
/// <c>/vsis3/</c> with the store's own endpoint and credentials for its bucket), else a cached local copy.
/// </summary>
internal static class RasterPaths
{
    public static Task<string> ForGdalAsync(TaskContext context, StoreTarget target)
    {
        var (store, key) = context.Targets.Locate(target);
        return store.Locate(key) is { } location
            ? Task.FromResult(GdalPaths.For(location))
            : context.Targets.LocalPathAsync(target, context.CancellationToken);
    }
}
