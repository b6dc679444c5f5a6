using System.Reflection;
using Detect.Cli.NewWorkflow;
using Detect.Engine.Cli;
using Detect.Engine.Plugins;

namespace Detect.Cli;

/// <summary>
/// <c>detect new workflow &lt;dir&gt; [--name Name] [--feed DIR]</c>: a project of one's own on the engine package
/// (outside this repository), with one task, its test and a README. The engine package comes from the local feed
/// the build packs it into (<c>.build/feed/</c>), or <c>--feed</c> / <c>DETECT_PACKAGE_FEED</c>.
/// </summary>
internal static class NewCommand
{
    public const string Usage = "workflow <dir> [--name Name] [--feed DIR]: a project of your own on Detect.Engine (one task, its test, a README)";

    public static async Task<int> RunAsync(CliApp app, string[] args)
    {
        if (args.Length < 2 || args[0] != "workflow" || args[1].StartsWith('-'))
            return Fail(app, "usage: detect new workflow <dir> [--name Name] [--feed DIR], e.g. detect new workflow ~/src/my-tasks.");
        var dir = Path.GetFullPath(args[1]);
        string? name = null, feed = null;
        for (var i = 2; i < args.Length; i++)
        {
            if (i + 1 >= args.Length) return Fail(app, $"option {args[i]} needs a value.");
            switch (args[i])
            {
                case "--name": name = args[++i]; break;
                case "--feed": feed = args[++i]; break;
                default: return Fail(app, $"unknown option {args[i]} (new workflow takes --name and --feed).");
            }
        }
        name ??= ProjectName(Path.GetFileName(dir));
        if (!IsIdentifier(name))
            return Fail(app, $"'{name}' cannot name a project (it is also its C# namespace): give --name with letters, digits and '_', starting with a letter.");
        if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any())
            return Fail(app, $"{dir} exists and is not empty; give a new or empty folder.");
        feed = Path.GetFullPath(feed ?? Environment.GetEnvironmentVariable("DETECT_PACKAGE_FEED") ?? BuiltFeed());
        var version = TaskAssemblies.EngineVersion;
        var package = Path.Combine(feed, $"Detect.Engine.{version}.nupkg");
        if (!File.Exists(package))
            return Fail(app, $"the engine package {package} is missing. Build Detect (./detect or scripts/test.sh packs it there), or give --feed DIR.");

        foreach (var (path, text) in WorkflowTemplate.Files(name, name.ToLowerInvariant(), version, feed, PackageVersion))
        {
            var file = Path.Combine(dir, path);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllTextAsync(file, text);
        }
        await app.Out.WriteLineAsync($"Created {dir} ({name}, on Detect.Engine {version} from {feed}). Next:");
        await app.Out.WriteLineAsync($"  cd {dir} && dotnet build -c Release && dotnet test -c Release --no-build");
        await app.Out.WriteLineAsync($"  {app.ProgramName} run --assembly {Path.Combine(dir, "src", name, "bin", "Release", "net10.0", name + ".dll")} Greet --name you");
        return CliApp.Success;
    }

    /// <summary>The feed this build of detect packed the engine into (recorded at build time).</summary>
    private static string BuiltFeed() =>
        typeof(NewCommand).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "DetectPackageFeed")?.Value
        ?? Path.Combine(AppContext.BaseDirectory, "feed");

    /// <summary>A package's version in the repository's Directory.Packages.props (recorded at build time).</summary>
    internal static string PackageVersion(string package) =>
        typeof(NewCommand).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "PackageVersion:" + package)?.Value
        ?? throw new InvalidOperationException($"Detect.Cli was built without the version of {package}: add it to Directory.Packages.props.");

    /// <summary><c>my-tasks</c> → <c>MyTasks</c>.</summary>
    internal static string ProjectName(string folder) =>
        string.Concat(folder.Split(['-', '_', '.', ' '], StringSplitOptions.RemoveEmptyEntries).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));

    private static bool IsIdentifier(string name) =>
        name.Length > 0 && char.IsAsciiLetter(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static int Fail(CliApp app, string message)
    {
        app.Error.WriteLine("error: " + message);
        return CliApp.UsageError;
    }
}
