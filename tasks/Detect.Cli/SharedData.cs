namespace Detect.Cli;

/// <summary>Finds the project's shared data folder (models, regions): DETECT_SHARED, else ../shared beside the checkout.</summary>
internal static class SharedData
{
    public static string? Find()
    {
        if (Environment.GetEnvironmentVariable("DETECT_SHARED") is { Length: > 0 } configured)
            return Directory.Exists(configured) ? Path.GetFullPath(configured) : null;
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Detect.sln")))
                {
                    var shared = Path.Combine(dir.FullName, "..", "shared");
                    return Directory.Exists(shared) ? Path.GetFullPath(shared) : null;
                }
            }
        }
        return null;
    }

    public const string MissingMessage =
        "The shared data folder was not found. Put the project's shared/ folder (models/keras/*.h5 and roi/*.geojson, " +
        "from the Earthrise Media plastics project) beside the repository checkout as ../shared, or set DETECT_SHARED=/path/to/shared.";
}
