using System.Diagnostics;

namespace Detect.TestSupport;

public enum CwlRunnerKind { Cwltool, Toil }

/// <summary>What a CWL runner did: its exit code and output (the CWL output object on stdout, logs on stderr).</summary>
public sealed record CwlRun(CwlRunnerKind Runner, int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
{
    public string Output => $"{Runner} exited {ExitCode} after {Elapsed.TotalSeconds:0.0}s\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>
/// Runs exported workflows with the real runners the README names: Debian's <c>cwltool --no-container</c> and
/// <c>toil-cwl-runner --batchSystem single_machine</c> (scripts/setup.d installs both for the tests), with a small
/// <c>detect</c> wrapper first on PATH, as on a node without containers. Credentials reach the steps only
/// through the environment: cwltool gets every AWS_* variable with --preserve-environment; Toil 5.9 replaces its
/// own --preserve-environment list with the tool's EnvVarRequirement names, so it gets
/// --preserve-entire-environment (the README says the same).
/// </summary>
public static class CwlRunners
{
    /// <summary>A folder holding an executable <c>detect</c> that runs <paramref name="assemblyPath"/> (a CLI host) under dotnet.</summary>
    public static string DetectOnPath(string folder, string assemblyPath)
    {
        Directory.CreateDirectory(folder);
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var script = Path.Combine(folder, "detect");
        File.WriteAllText(script, $"#!/bin/sh\nexec \"{dotnet}\" exec \"{assemblyPath}\" \"$@\"\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return folder;
    }

    /// <summary><c>cwltool --validate</c>: loads the workflow as every runner does first (schema, types, links).</summary>
    public static async Task<CwlRun> ValidateAsync(string workflow, TimeSpan timeout)
    {
        var info = new ProcessStartInfo("cwltool");
        info.ArgumentList.Add("--validate");
        info.ArgumentList.Add(workflow);
        return await RunProcessAsync(CwlRunnerKind.Cwltool, info, timeout);
    }

    public static async Task<CwlRun> RunAsync(CwlRunnerKind runner, string workflow, string workDir, string detectFolder, TimeSpan timeout)
    {
        Directory.CreateDirectory(workDir);
        var info = new ProcessStartInfo(runner == CwlRunnerKind.Cwltool ? "cwltool" : "toil-cwl-runner") { WorkingDirectory = workDir };
        foreach (var arg in Arguments(runner, workflow, workDir)) info.ArgumentList.Add(arg);
        info.Environment["PATH"] = detectFolder + ":" + Environment.GetEnvironmentVariable("PATH");
        info.Environment["TMPDIR"] = Directory.CreateDirectory(Path.Combine(workDir, "tmp")).FullName;
        return await RunProcessAsync(runner, info, timeout);
    }

    private static async Task<CwlRun> RunProcessAsync(CwlRunnerKind runner, ProcessStartInfo info, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var (exitCode, stdout, stderr) = await ChildProcess.RunAsync(info, timeout, runner.ToString());
        return new CwlRun(runner, exitCode, stdout, stderr, clock.Elapsed);
    }

    private static IEnumerable<string> Arguments(CwlRunnerKind runner, string workflow, string workDir)
    {
        var outputs = Path.Combine(workDir, "outputs");
        if (runner == CwlRunnerKind.Cwltool)
        {
            yield return "--no-container";
            yield return "--parallel";
            yield return "--outdir"; yield return outputs;
            yield return "--tmpdir-prefix"; yield return Path.Combine(workDir, "tmp") + "/";
            yield return "--tmp-outdir-prefix"; yield return Path.Combine(workDir, "out") + "/";
            foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(n => n.StartsWith("AWS_", StringComparison.Ordinal)).Order())
            {
                yield return "--preserve-environment";
                yield return name;
            }
        }
        else
        {
            yield return "--batchSystem"; yield return "single_machine";
            yield return "--jobStore"; yield return Path.Combine(workDir, "jobstore");
            yield return "--workDir"; yield return Directory.CreateDirectory(Path.Combine(workDir, "work")).FullName;
            yield return "--outdir"; yield return outputs;
            yield return "--no-container";
            yield return "--preserve-entire-environment";
            yield return "--logLevel"; yield return "warning";
        }
        yield return workflow;
    }

    /// <summary>The relative paths and SHA-256 of every file under <paramref name="root"/> except the engine's own <c>.detect/</c> folder.</summary>
    public static SortedDictionary<string, string> Hashes(string root)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            if (relative.StartsWith(".detect/", StringComparison.Ordinal)) continue;
            using var stream = File.OpenRead(file);
            result[relative] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
        }
        return result;
    }
}
