using Detect.Engine;
using Detect.Engine.Storage;
using Detect.Engine.Storage.S3;
using Detect.Tasks.Native.Gdal;

namespace Detect.Tasks.Pipeline;

/// <summary>
/// A path GDAL can open for a store target: the file itself on a local store; on S3 a <c>/vsis3/</c> path read
/// in place with the store's own endpoint and credentials (no download); else a cached local copy.
/// </summary>
internal static class RasterPaths
{
    public static Task<string> ForGdalAsync(TaskContext context, StoreTarget target)
    {
        var (store, key) = context.Targets.Locate(target);
        if (store is S3ObjectStore s3)
        {
            Configure(s3.Settings);
            return Task.FromResult(GdalPaths.FromUri(s3.UriOf(key)));
        }
        return context.Targets.LocalPathAsync(target, context.CancellationToken);
    }

    /// <summary>
    /// GDAL's S3 options are process-wide; they are set again for every raster (a few string copies) so that the
    /// store's settings win even when something else in the process changed them meanwhile.
    /// </summary>
    private static void Configure(Engine.Storage.S3.S3Settings settings) =>
        GdalS3.Configure(new Native.Gdal.S3Settings(settings.Endpoint, settings.AccessKeyId, settings.SecretAccessKey, settings.SessionToken, settings.Region));
}
