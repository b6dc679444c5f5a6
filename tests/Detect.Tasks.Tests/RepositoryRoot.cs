namespace Detect.Tasks.Tests;

/// <summary>The checkout's root (where Detect.sln is) and the shared data beside it.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string SharedData => System.IO.Path.GetFullPath(System.IO.Path.Combine(Path, "..", "shared"));

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Detect.sln"))) return dir.FullName;
        throw new InvalidOperationException("Detect.sln not found above " + AppContext.BaseDirectory);
    }
}
