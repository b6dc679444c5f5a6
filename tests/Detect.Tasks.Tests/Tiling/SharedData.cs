namespace Detect.Tasks.Tests.Tiling;

/// <summary>Locates ../shared (beside the repository checkout) for tests that use the project's shared data.</summary>
internal static class SharedData
{
    internal static string Path(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "Detect.sln"))) dir = dir.Parent;
        if (dir is null) throw new InvalidOperationException("Could not find the repository root (Detect.sln) above " + AppContext.BaseDirectory);
        var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(dir.FullName, "..", "shared", relative));
        if (!File.Exists(path))
            throw new FileNotFoundException($"Shared test data '{path}' is missing: put the project's shared/ folder beside the checkout (see DATA.md).", path);
        return path;
    }
}
