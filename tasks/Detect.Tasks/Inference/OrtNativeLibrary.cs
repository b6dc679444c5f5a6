using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace Detect.Tasks.Inference;

/// <summary>
/// Finds and loads libonnxruntime.so for the ONNX Runtime C# API: the only native-loading code for ORT.
/// Probes, in order: <c>$DETECT_ORT_LIBRARY</c>, beside the executable (the build copies it there), and the
/// repository's <c>.deps/onnxruntime/package/Plugins/Linux/x64</c> found above the executable.
/// ORT loads its execution providers (libonnxruntime_providers_cuda.so) from the same folder.
/// </summary>
internal static class OrtNativeLibrary
{
    public const string LibraryFile = "libonnxruntime.so";
    public const string CudaProviderFile = "libonnxruntime_providers_cuda.so";
    private const string RepoRelativeFolder = ".deps/onnxruntime/package/Plugins/Linux/x64";
    private static readonly Lazy<string> Loaded = new(Register, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Registers the resolver (once) and returns the path of the library ORT will use.</summary>
    public static string EnsureRegistered() => Loaded.Value;

    public static string Folder => Path.GetDirectoryName(EnsureRegistered())!;

    private static string Register()
    {
        var path = Candidates().FirstOrDefault(File.Exists)
            ?? throw new DllNotFoundException(
                $"{LibraryFile} not found (looked in: {string.Join(", ", Candidates())}). " +
                "Run scripts/setup.sh (it fetches ONNX Runtime from npm) or set DETECT_ORT_LIBRARY to its path.");
        var handle = NativeLibrary.Load(path);
        OrtEnv.DisableDllImportResolver = true;
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(OrtEnv).Assembly, (name, _, _) =>
                name is "onnxruntime" or LibraryFile ? handle : IntPtr.Zero);
        }
        catch (InvalidOperationException)
        {
            // ORT was touched before us and registered its own resolver, which probes beside the executable
            // too; the library loaded above is then the one the process already uses.
        }
        return path;
    }

    private static IEnumerable<string> Candidates()
    {
        if (Environment.GetEnvironmentVariable("DETECT_ORT_LIBRARY") is { Length: > 0 } explicitPath)
            yield return Path.GetFullPath(explicitPath);
        yield return Path.Combine(AppContext.BaseDirectory, LibraryFile);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, RepoRelativeFolder, LibraryFile);
            if (File.Exists(candidate)) { yield return candidate; yield break; }
        }
    }
}
