using System.Diagnostics;

namespace Detect.Tasks.Models;

/// <summary>
/// Runs the build-time converter <c>models-manifest/convert.py</c> (Debian python3 with python3-h5py,
/// python3-onnx, python3-numpy) to turn a Keras .h5 file into the ONNX file the manifest pins.
/// </summary>
public sealed class ModelConverter
{
    public ModelConverter(string scriptPath, string python)
    {
        ScriptPath = scriptPath;
        Python = python;
    }

    public string ScriptPath { get; }
    public string Python { get; }

    /// <summary>
    /// Finds convert.py: <c>$DETECT_MODELS_MANIFEST_DIR</c>, else <c>models-manifest/</c> in a folder above the
    /// executable (the repository). Python: <c>$DETECT_PYTHON</c>, else /usr/bin/python3, else python3.
    /// </summary>
    public static ModelConverter Locate()
    {
        var python = Environment.GetEnvironmentVariable("DETECT_PYTHON") is { Length: > 0 } p ? p
            : File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        if (Environment.GetEnvironmentVariable("DETECT_MODELS_MANIFEST_DIR") is { Length: > 0 } dir)
            return new ModelConverter(Path.Combine(dir, "convert.py"), python);
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var script = Path.Combine(d.FullName, "models-manifest", "convert.py");
            if (File.Exists(script)) return new ModelConverter(script, python);
        }
        return new ModelConverter(Path.Combine(AppContext.BaseDirectory, "models-manifest", "convert.py"), python);
    }

    /// <summary>Converts; <paramref name="form"/> "grid" makes the patch model's tile form.</summary>
    public async Task ConvertAsync(string h5Path, string onnxPath, string? form = null, CancellationToken ct = default)
    {
        if (!File.Exists(ScriptPath))
            throw new FileNotFoundException(
                $"The model converter {ScriptPath} is missing, so {h5Path} cannot be converted. Set DETECT_MODELS_MANIFEST_DIR " +
                "to the repository's models-manifest folder, or import the .onnx files instead.", ScriptPath);
        var psi = new ProcessStartInfo(Python) { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add(ScriptPath);
        psi.ArgumentList.Add(h5Path);
        psi.ArgumentList.Add(onnxPath);
        if (form is not null) { psi.ArgumentList.Add("--form"); psi.ArgumentList.Add(form); }
        Process process;
        try { process = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                $"Cannot start {Python} to convert {h5Path}: {e.Message}. Install python3 with python3-h5py, python3-onnx and " +
                "python3-numpy (scripts/setup.sh does), or set DETECT_PYTHON.", e);
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync(ct);
            await process.StandardOutput.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"Converting {h5Path} with {ScriptPath} failed (exit {process.ExitCode}): {(await stderr).Trim()}");
        }
    }
}
