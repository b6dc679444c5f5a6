using Detect.Engine.Cli;

namespace Detect.Engine.Tests.Cli;

/// <summary>
/// The CLI over the test tasks with its own environment (<see cref="Variables"/>) and working directory
/// (<see cref="Work"/>, where detect.toml is looked for), so the machine's DETECT_* settings never leak in.
/// </summary>
public sealed class CliHarness : IDisposable
{
    public TempStore Env { get; } = new();
    public string Work { get; } = Directory.CreateTempSubdirectory("detect-cli-work-").FullName;
    public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);

    public void Dispose()
    {
        Env.Dispose();
        Directory.Delete(Work, recursive: true);
    }

    public async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var app = new CliApp(TempStore.Registry)
        {
            Out = stdout, Error = stderr, MainTask = nameof(DiamondTop),
            Environment = name => Variables.GetValueOrDefault(name), WorkingDirectory = Work,
        };
        return (await app.RunAsync(args), stdout.ToString(), stderr.ToString());
    }

    /// <summary>Writes a config file into the working directory; returns its path.</summary>
    public string Config(string text, string name = "detect.toml")
    {
        var path = Path.Combine(Work, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Every file under the test's store, cache and staging folders.</summary>
    public IEnumerable<string> FilesWritten() => Directory.EnumerateFiles(Env.Root, "*", SearchOption.AllDirectories);
}
