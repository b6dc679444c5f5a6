using System.Diagnostics;
using Detect.Tasks.Analysis.Contours;
using Detect.Tasks.Native.Gdal;

namespace Detect.Tasks.Tests.Native;

/// <summary>
/// OpenCV's native library bundles libjpeg, libpng, zstd, lzma and libtiff; loaded carelessly before GDAL it broke
/// GDAL's COG writes ("TIFFReadEncodedTile() failed"). The scenario must run in a process where nothing loaded GDAL
/// first, so the first test runs the second in a fresh test host.
/// </summary>
public sealed class OpenCvLoadOrderTests
{
    private const string ChildVariable = "DETECT_OPENCV_FIRST_CHILD";

    [Fact]
    public async Task Gdal_writes_cogs_after_opencv_was_loaded_first_in_a_fresh_process()
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "test", typeof(OpenCvLoadOrderTests).Assembly.Location, "--filter",
                     $"FullyQualifiedName={typeof(OpenCvLoadOrderTests).FullName}.{nameof(OpenCv_first_then_a_gdal_cog_round_trip)}" })
            psi.ArgumentList.Add(a);
        psi.Environment[ChildVariable] = "1";
        using var child = Process.Start(psi)!;
        var stderrRead = child.StandardError.ReadToEndAsync();
        var stdout = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        var stderr = await stderrRead;

        (stdout + stderr).Should().MatchRegex(@"Passed:\s+1,", "the child ran exactly that test and it passed:\n" + stdout + stderr);
        child.ExitCode.Should().Be(0);
    }

    [Fact]
    public void Its_direct_dependencies_are_read_from_the_elf_file()
    {
        var needed = Detect.Tasks.Native.OpenCvLibrary.NeededLibraries(Path.Combine(AppContext.BaseDirectory, Detect.Tasks.Native.OpenCvLibrary.FileName));
        needed.Should().Contain(["libgtk-3.so.0", "libglib-2.0.so.0", "libstdc++.so.6", "libc.so.6"]);
        var notElf = () => Detect.Tasks.Native.OpenCvLibrary.NeededLibraries(typeof(OpenCvLoadOrderTests).Assembly.Location);
        notElf.Should().Throw<BadImageFormatException>().WithMessage("*not a little-endian 64-bit ELF*");
    }

    [Fact]
    public void OpenCv_first_then_a_gdal_cog_round_trip()
    {
        // In the child process this is the first native code to run; in the normal run it still checks the round trip.
        var blurred = Enumerable.Repeat(0.5f, 64 * 64).ToArray();
        OpenCvFilters.GaussianBlurInPlace(blurred, 64, 64, 33, 4);

        var dir = Directory.CreateTempSubdirectory("detect-opencv-first-").FullName;
        try
        {
            var grid = new RasterGrid(32750, GeoTransform.NorthUp(300_000, 9_100_000, 10), 600, 600);
            var values = new ushort[grid.PixelCount];
            for (var i = 0; i < values.Length; i++) values[i] = (ushort)(i % 5000);
            var path = Path.Combine(dir, "after-opencv.tif");
            Cog.Write(path, grid, [new ReadOnlyMemory<ushort>(values)], ["blue"], 0);
            using var ds = GdalDataset.Open(path);
            ds.ReadBand<ushort>(1).Should().Equal(values);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
