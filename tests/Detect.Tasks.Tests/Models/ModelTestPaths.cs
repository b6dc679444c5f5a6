using System.Diagnostics;

namespace Detect.Tasks.Tests.Models;

/// <summary>Where the tests find the repository, the shared Keras models and the Python build tools.</summary>
internal static class ModelTestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string ManifestDir => Path.Combine(RepoRoot, "models-manifest");
    public static string ManifestFile => Path.Combine(ManifestDir, "manifest.json");

    public static string KerasDir
    {
        get
        {
            var dir = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "models", "keras"));
            if (!Directory.Exists(dir))
                throw new DirectoryNotFoundException(
                    $"The Keras models are expected in {dir} (../shared/models/keras beside the checkout; see DATA.md).");
            return dir;
        }
    }

    /// <summary>Debian's python3 (with python3-h5py, python3-onnx, python3-numpy); DETECT_PYTHON overrides.</summary>
    public static string Python =>
        Environment.GetEnvironmentVariable("DETECT_PYTHON") is { Length: > 0 } p ? p
        : File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    /// <summary>Runs a models-manifest script; throws with its stderr when it fails.</summary>
    public static void RunScript(string script, params string[] args)
    {
        var psi = new ProcessStartInfo(Python) { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add(Path.Combine(ManifestDir, script));
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{script} {string.Join(' ', args)} failed ({process.ExitCode}): {stderr.Result}");
    }

    public static string NewTempDir(string prefix)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"detect-{prefix}-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Detect.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No Detect.sln above {AppContext.BaseDirectory}.");
    }
}

/// <summary>All models converted once per test run (convert.py --all) into a temporary folder.</summary>
public sealed class ConvertedModels : IDisposable
{
    public ConvertedModels()
    {
        Directory = ModelTestPaths.NewTempDir("onnx");
        ModelTestPaths.RunScript("convert.py", "--all", ModelTestPaths.KerasDir, Directory, "--manifest", ModelTestPaths.ManifestFile);
    }

    public string Directory { get; }

    public string PathOf(string model) =>
        Path.Combine(Directory, Detect.Tasks.Models.ModelManifest.Default.Get(model).OnnxFile);

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

[CollectionDefinition(Name)]
public sealed class ConvertedModelsCollection : ICollectionFixture<ConvertedModels>
{
    public const string Name = "converted models";
}
