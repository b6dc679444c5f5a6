namespace Detect.Tasks.Native.Gdal;

/// <summary>What a failed GDAL call was about, as far as its error numbers and HTTP status tell.</summary>
public enum GdalErrorKind { Other, NotFound, AccessDenied }

/// <summary>A GDAL call failed. The message names the file (or object) involved and GDAL's own error text.</summary>
public sealed class GdalException(string message, string? path = null, GdalErrorKind kind = GdalErrorKind.Other) : Exception(message)
{
    /// <summary>The file, /vsis3/ or /vsicurl/ path the failing operation was about, when there is one.</summary>
    public string? Path { get; } = path;

    /// <summary>A missing object (S3 NoSuchKey/NoSuchBucket, HTTP 404) or a refused one (S3 AccessDenied, HTTP 403).</summary>
    public GdalErrorKind Kind { get; } = kind;
}
