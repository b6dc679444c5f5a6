using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Detect.Tasks.Native.Gdal;

/// <summary>
/// Collects every error and warning GDAL reports on this thread during one call (GDAL keeps only the last one,
/// and opening a remote raster reports the HTTP/S3 answer first, then a generic "cannot open"). GDAL's error-handler
/// stack is per thread, so pushing a handler affects only the calling thread.
/// </summary>
internal static unsafe partial class GdalErrorCapture
{
    internal sealed record Error(int Class, int Number, string Message);

    [ThreadStatic] private static List<Error>? _errors;

    /// <summary>Runs <paramref name="call"/> with the capturing handler installed; returns what GDAL reported.</summary>
    internal static T Run<T>(Func<T> call, out IReadOnlyList<Error> errors)
    {
        GdalRuntime.EnsureInitialized();
        var previous = _errors;
        var captured = _errors = [];
        GdalNative.CPLPushErrorHandler((IntPtr)(delegate* unmanaged[Cdecl]<int, int, IntPtr, void>)&Handle);
        try { return call(); }
        finally
        {
            GdalNative.CPLPopErrorHandler();
            _errors = previous;
            errors = captured;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Handle(int errorClass, int number, IntPtr message) =>
        _errors?.Add(new Error(errorClass, number, GdalNative.Utf8(message)?.Trim() ?? ""));

    /// <summary>What the errors say about the object: missing, refused, or something else.</summary>
    internal static GdalErrorKind Classify(IEnumerable<Error> errors)
    {
        foreach (var e in errors)
        {
            switch (e.Number)
            {
                case GdalNative.CPLE_AWSAccessDenied or GdalNative.CPLE_AWSInvalidCredentials or GdalNative.CPLE_AWSSignatureDoesNotMatch:
                    return GdalErrorKind.AccessDenied;
                case GdalNative.CPLE_AWSObjectNotFound or GdalNative.CPLE_AWSBucketNotFound:
                    return GdalErrorKind.NotFound;
            }
            var status = HttpStatus().Match(e.Message);
            if (status.Success) return status.Groups[1].Value switch { "403" or "401" => GdalErrorKind.AccessDenied, "404" => GdalErrorKind.NotFound, _ => GdalErrorKind.Other };
        }
        // GDAL caches that a remote object is absent; a second open then reports only this.
        return errors.Any(e => e.Message.Contains("does not exist in the file system", StringComparison.Ordinal))
            ? GdalErrorKind.NotFound : GdalErrorKind.Other;
    }

    // "HTTP response code on http://host:port/bucket/key: 403", "HTTP error code : 404": the status ends the message.
    [GeneratedRegex(@"HTTP.*(?:code|status).*?\b(\d{3})\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex HttpStatus();
}
