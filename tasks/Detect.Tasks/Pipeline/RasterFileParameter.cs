using Detect.Engine.Parameters;

namespace Detect.Tasks.Pipeline;

/// <summary>
/// A <c>--file</c> that names a raster outside the run (BlobDetect, Contours), checked before anything runs: a local
/// path (or <c>file:///</c> URI) must be a file this user can read; a URI must be one a store can read. An object
/// behind <c>s3://</c> or <c>http(s)://</c> is only looked for when the run starts (a missing one is the run's failure).
/// </summary>
internal static class RasterFileParameter
{
    private const string Forms = "give a path, file:///path, s3://bucket/key or an http(s):// URL";

    public static void Validate(string family, string file)
    {
        if (string.IsNullOrWhiteSpace(file)) throw new ParameterException($"{family}: --file is empty: {Forms}.");
        var scheme = file.IndexOf("://", StringComparison.Ordinal) is var at and > 0 ? file[..at].ToLowerInvariant() : null;
        if (scheme is "s3" or "http" or "https") return;
        if (scheme is not (null or "file"))
            throw new ParameterException($"{family}: --file '{file}' has the scheme '{scheme}://', which Detect cannot read: {Forms}.");
        var path = scheme is null ? Path.GetFullPath(file)
            : Uri.TryCreate(file, UriKind.Absolute, out var uri) && uri.IsFile && (uri.Host.Length == 0 || uri.IsLoopback) ? uri.LocalPath
            : throw new ParameterException($"{family}: --file '{file}' is not a file URI of this machine: {Forms} (three slashes: file:///data/x.tif).");
        if (Directory.Exists(path)) throw new ParameterException($"{family}: --file '{file}' is a folder: name the raster file in it.");
        if (!File.Exists(path)) throw new ParameterException($"{family}: --file '{file}': no such file ({path}); check the path, or {Forms}.");
        try { using var _ = File.OpenRead(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ParameterException(
                $"{family}: --file '{file}' cannot be read ({e.Message}): give user '{Environment.UserName}' read permission, or copy it somewhere readable.");
        }
    }
}
