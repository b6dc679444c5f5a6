namespace Detect.Tasks.Pipeline;

/// <summary>Where the installed data lives: the checkout (or image folder) holding Detect.sln, and its .deps/.</summary>
public static class DetectPaths
{
    public static string? RepositoryRoot { get; } = Find();

    /// <summary>The offline gazetteer (scripts/fetch-gazetteer.sh builds it); DETECT_GAZETTEER overrides.</summary>
    public static string Gazetteer =>
        Environment.GetEnvironmentVariable("DETECT_GAZETTEER") is { Length: > 0 } dir ? dir
        : Path.Combine(RepositoryRoot ?? Directory.GetCurrentDirectory(), ".deps", "gazetteer");

    private static string? Find()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Detect.sln"))) return dir.FullName;
        return null;
    }
}
