using System.Diagnostics;

namespace Detect.Tasks.Tests.Native.Gdal;

internal static class Tools
{
    /// <summary>Runs gdalinfo (from gdal-bin) and returns its output; fails the test when it exits non-zero.</summary>
    internal static string GdalInfo(string path)
    {
        var start = new ProcessStartInfo("gdalinfo", [path]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.Should().Be(0, $"gdalinfo failed on {path}: {error}");
        return output + error;
    }
}
