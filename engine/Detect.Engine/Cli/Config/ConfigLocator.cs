using Detect.Engine.Parameters;

namespace Detect.Engine.Cli.Config;

/// <summary>
/// Which config file a command reads: <c>--config FILE</c>, else <c>DETECT_CONFIG</c>, else <c>detect.toml</c> (or
/// <c>detect.cfg</c>, also TOML) in the working directory, else none. A file named by the user must exist.
/// </summary>
public static class ConfigLocator
{
    public const string Variable = "DETECT_CONFIG";
    public static readonly string[] LocalNames = ["detect.toml", "detect.cfg"];

    /// <summary>The file to read and how it was found ("--config", "DETECT_CONFIG", "the working directory"); null when there is none.</summary>
    public static (string Path, string FoundBy)? Find(string? fromCommandLine, Func<string, string?> environment, string workingDirectory)
    {
        if (fromCommandLine is not null) return (Existing(fromCommandLine, "--config", workingDirectory), "--config");
        if (environment(Variable) is { Length: > 0 } fromEnvironment) return (Existing(fromEnvironment, Variable, workingDirectory), Variable);
        var present = LocalNames.Select(n => Path.Combine(workingDirectory, n)).Where(File.Exists).ToList();
        return present.Count switch
        {
            0 => null,
            1 => (present[0], "the working directory"),
            _ => throw new ParameterException(
                $"Both {string.Join(" and ", present)} exist and they are not merged: keep one, or name the one to read with --config."),
        };
    }

    private static string Existing(string path, string how, string workingDirectory)
    {
        var full = Path.GetFullPath(path, workingDirectory);
        if (Directory.Exists(full)) throw new ParameterException($"{how} {path} is a folder: name the config file (e.g. {Path.Combine(path, "detect.toml")}).");
        if (!File.Exists(full)) throw new ParameterException($"{how} {path}: no such config file ({full}).");
        return full;
    }

    /// <summary>Takes <c>--config FILE</c> (or <c>--config=FILE</c>) out of the arguments; every verb accepts it.</summary>
    public static (string[] Arguments, string? Config) Extract(string[] args)
    {
        var rest = new List<string>(args.Length);
        string? config = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--config")
            {
                if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    throw new ParameterException("--config needs a file: --config detect.toml.");
                config = args[++i];
            }
            else if (args[i].StartsWith("--config=", StringComparison.Ordinal)) config = args[i]["--config=".Length..];
            else rest.Add(args[i]);
        }
        return (rest.ToArray(), config);
    }
}
