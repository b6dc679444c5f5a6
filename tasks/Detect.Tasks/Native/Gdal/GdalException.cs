namespace Detect.Tasks.Native.Gdal;

/// <summary>A GDAL call failed. The message names the file (or object) involved and GDAL's own error text.</summary>
public sealed class GdalException(string message, string? path = null) : Exception(message)
{
    /// <summary>The file, /vsis3/ or /vsicurl/ path the failing operation was about, when there is one.</summary>
    public string? Path { get; } = path;
}
