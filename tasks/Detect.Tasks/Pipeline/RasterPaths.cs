using Detect.Engine;
using Detect.Engine.Storage;

namespace Detect.Tasks.Pipeline;

/// <summary>A path GDAL can open for a store target: the file itself on a local store, else a cached local copy.</summary>
internal static class RasterPaths
{
    public static Task<string> ForGdalAsync(TaskContext context, StoreTarget target) =>
        context.Targets.LocalPathAsync(target, context.CancellationToken);
}
