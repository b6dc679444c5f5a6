using System.Diagnostics;
using Detect.Cli;
using Detect.Engine.Cli;
using Detect.Tasks.Models;
using Detect.Tasks.Tests.Native.Gdal;
using Detect.TestSupport;

namespace Detect.Tasks.Tests.Cli;

/// <summary>
/// Bad input to the `detect` program (issue 15 item 1), the cases of the issue first: each exits 2 before anything
/// runs, or 1 when the run cannot complete, names the problem and the fix, prints no stack trace, and leaves no
/// file in the store or the cache.
/// </summary>
public sealed class PipelineBadInputTests : IDisposable
{
    private readonly TempDir _dir = new();
    private string Store => _dir.File("store");
    private string Cache => _dir.File("cache");

    public void Dispose() => _dir.Dispose();

    private static async Task<(int Code, string Stdout, string Stderr)> Cli(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await DetectApp.Create(stdout, stderr).RunAsync(args);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Files under the store and cache folders (GeoJSON inputs the test wrote live elsewhere in the temp folder).</summary>
    private IEnumerable<string> FilesWritten() =>
        new[] { Store, Cache }.Where(Directory.Exists).SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories));

    private async Task<string> UsageError(params string[] args)
    {
        var (code, stdout, stderr) = await Cli(args);
        code.Should().Be(CliApp.UsageError, stderr + stdout);
        stderr.Should().StartWith("error: ").And.NotContain("   at ", "no stack trace");
        FilesWritten().Should().BeEmpty("a usage error is found before anything is written");
        return stderr;
    }

    [Theory]
    // The issue's cases.
    [InlineData("--roi|../x", "Detect: --roi '../x' holds a '/': it becomes part of a store key, so use letters, digits")]
    [InlineData("--model|spectrogram_v0.0.11_2021-07-13.h5", "the manifest names models without a file extension or folder — use 'spectrogram_v0.0.11_2021-07-13'")]
    [InlineData("--timeout|-1", "--timeout -1 must be from 0.001 to")]
    [InlineData("--log-format|jsn", "--log-format 'jsn' must be one of text, json")]
    [InlineData("--start-date|2021-01-01|--end-date|2020-01-01", "Detect: --start-date 2021-01-01 is not before --end-date 2020-01-01 (the end is exclusive): swap them")]
    [InlineData("--store|s3://", "is not a valid S3 bucket name")]
    // More of the same kinds.
    [InlineData("--roi|", "Detect: --roi '' is empty")]
    [InlineData("--roi|bali/../../etc", "--roi 'bali/../../etc' holds a '/'")]
    [InlineData("--run-id|../../other-run", "Detect: --run-id '../../other-run' holds a '/'")]
    [InlineData("--model|models/spectrogram_v0.0.11_2021-07-13.onnx", "use 'spectrogram_v0.0.11_2021-07-13'")]
    [InlineData("--model|v1.1.0_4-23-21_patch_classifier_45px_patch", "is a patch model, not a pixel model: use one of spectrogram_v0.0.11_2021-07-13")]
    [InlineData("--patch-model|nope", "Detect: --patch-model 'nope' is not a patch model of the models manifest; known: v1.1.0_4-23-21_patch_classifier_45px_patch")]
    [InlineData("--ensemble-model|v0.0.11_ensemble", "is not an ensemble of the models manifest")]
    [InlineData("--start-date|2020-01-01|--end-date|2020-01-01", "--start-date 2020-01-01 is not before --end-date 2020-01-01")]
    [InlineData("--start-date|2020-01-01|--end-date|2020-06-01", "holds 1 whole mosaic period(s) of 3 month(s); heatmaps pair mosaics 2 period(s) apart (--spectrogram-interval), so the range needs at least 9 months: e.g. --end-date 2020-10-01")]
    [InlineData("--mosaic-period|0", "Detect: --mosaic-period 0 must be from 1 to 120")]
    [InlineData("--spectrogram-interval|0", "Detect: --spectrogram-interval 0 must be from 1 to 100")]
    [InlineData("--rect-width|0", "Detect: --rect-width 0 must be greater than 0 and at most 1")]
    [InlineData("--max-cloud-cover|101", "Detect: --max-cloud-cover 101 must be from 0 to 100")]
    [InlineData("--device|gpu", "Detect: parameter --device got 'gpu', expected one of auto, cpu, cuda")]
    [InlineData("--cloud-mask|sky", "parameter --cloud-mask got 'sky', expected one of auto, scl, asset, none")]
    [InlineData("--imagery|bogus://x", "--imagery 'bogus://x' is neither a preset nor a URL")]
    [InlineData("--end-date|2021-02-29", "parameter --end-date got '2021-02-29', expected a date YYYY-MM-DD")]
    [InlineData("--store|swift://container", "has the scheme 'swift://', which Detect cannot use")]
    [InlineData("--workers|0", "--workers 0 must be from 1 to 4096")]
    [InlineData("--Heatmap-mosaic-period|-3", "Heatmap: --mosaic-period -3 must be from 1 to 120")]
    public async Task A_bad_detect_run_is_a_usage_error_naming_the_parameter_and_the_fix(string arguments, string message)
    {
        var err = await UsageError(["run", "Detect", "--store", Store, "--cache-dir", Cache, .. arguments.Split('|')]);
        err.Should().Contain(message);
    }

    [Theory]
    [InlineData("run|ModelFile|--model|spectrogram_v0.0.11_2021-07-13.h5", "ModelFile: --model 'spectrogram_v0.0.11_2021-07-13.h5'")]
    [InlineData("run|EnsembleFiles|--ensemble-model|x", "EnsembleFiles: --ensemble-model 'x' is not an ensemble of the models manifest")]
    [InlineData("run|Heatmap|--tile|32750_x0037_y1056|--start-date|2021-01-01|--end-date|2020-01-01", "Heatmap: --start-date 2021-01-01 is not before --end-date 2020-01-01")]
    [InlineData("run|Heatmap|--run-id|r1|--tile|../../x", "Heatmap: --tile '../../x' is not a tile id: expected EPSG_xCOL_yROW")]
    [InlineData("run|Mosaic|--run-id|r1|--tile|a/b", "Mosaic: --tile 'a/b' is not a tile id")]
    [InlineData("run|Mosaic|--run-id|r1|--tile|32750_x0037_y1056|--with|32750_x0038_y1056,x/y", "Mosaic: --with '32750_x0038_y1056,x/y' holds 'x/y', which is not a tile id")]
    [InlineData("run|Mosaic|--run-id|r1|--tile|32750_x0037_y1056|--with|32750_x0037_y1056", "Mosaic: --with '32750_x0037_y1056' repeats a tile (or names --tile 32750_x0037_y1056 again)")]
    [InlineData("run|Mosaic|--run-id|r1|--tile|32750_x0037_y1056|--with|32751_x0001_y1056", "Mosaic: --with tile 32751_x0001_y1056 is in EPSG:32751, --tile 32750_x0037_y1056 in EPSG:32750")]
    [InlineData("run|Heatmap|--run-id|r1|--tile|32750_x0037_y1056|--mosaic-group|a,b", "Heatmap: --mosaic-group 'a,b' holds 'a', which is not a tile id")]
    [InlineData("run|BlobDetect|--run-id|r1|--tile|32799_x0037_y1056", "BlobDetect: --tile '32799_x0037_y1056' is not a tile id: expected EPSG_xCOL_yROW with a UTM zone's EPSG code")]
    [InlineData("run|Heatmap|--tile|32750_x0037_y1056", "Heatmap: --run-id is required")]
    [InlineData("scenes|--roi|../x", "--roi '../x' holds a '/'")]
    [InlineData("models|import|/nonexistent/keras", "models import /nonexistent/keras: no such folder")]
    [InlineData("roi|add|nofile|/nonexistent/x.geojson", "no file '/nonexistent/x.geojson': give the GeoJSON file of the region")]
    public async Task Other_tasks_and_verbs_check_the_same_parameters(string arguments, string message)
    {
        var err = await UsageError([.. arguments.Split('|'), "--store", Store]);
        err.Should().Contain(message);
    }

    [Theory]
    [InlineData("BlobDetect", "missing.tif", "BlobDetect: --file 'missing.tif': no such file")]
    [InlineData("Contours", "missing.tif", "Contours: --file 'missing.tif': no such file")]
    [InlineData("Contours", "file:///nonexistent/x.tif", "Contours: --file 'file:///nonexistent/x.tif': no such file (/nonexistent/x.tif)")]
    [InlineData("Contours", "file://otherhost/x.tif", "is not a file URI of this machine")]
    [InlineData("Contours", "ftp://host/x.tif", "Contours: --file 'ftp://host/x.tif' has the scheme 'ftp://', which Detect cannot read")]
    [InlineData("Contours", "", "Contours: --file is empty")]
    [InlineData("BlobDetect", "/tmp", "BlobDetect: --file '/tmp' is a folder")]
    public async Task A_file_parameter_that_names_no_readable_raster_is_a_usage_error(string task, string file, string message)
    {
        var err = await UsageError("run", task, "--file", file, "--store", Store, "--cache-dir", Cache);
        err.Should().Contain(message);
    }

    [Fact]
    public async Task Run_detect_help_lists_its_parameters_with_their_values_and_exits_0()
    {
        foreach (var help in new[] { "--help", "-h" })
        {
            var (code, stdout, stderr) = await Cli("run", "Detect", help);

            code.Should().Be(0, stderr);
            stdout.Should().StartWith("usage: detect run Detect [--parameter value ...] [options]");
            stdout.Should().MatchRegex(@"--device\s+enum\s+default: auto").And.Contain("one of auto, cpu, cuda");
            stdout.Should().MatchRegex(@"--roi\s+string\s+default: test_patch").And.Contain("region of interest");
            stdout.Should().Contain("--mosaic-period").And.Contain("from 1 to 120");
            stdout.Should().Contain("a pixel model of the models manifest (`detect models list`)");
            stdout.Should().Contain("Options of `run`:").And.Contain("--workers").And.Contain("env DETECT_STORE");
        }
    }

    [Fact]
    public async Task Describe_detect_lists_enum_values_and_sources()
    {
        var (code, stdout, _) = await Cli("describe", "Detect", "--roi", "bali");

        code.Should().Be(0);
        stdout.Should().MatchRegex(@"--roi\s+string\s+bali\s+\(command line\)");
        stdout.Should().MatchRegex(@"--cloud-mask\s+enum\s+auto\s+\(default\)").And.Contain("one of auto, scl, asset, none");
    }

    [Theory]
    [InlineData("polar", "{\"type\":\"Polygon\",\"coordinates\":[[[0,85],[1,85],[1,86],[0,85]]]}",
        "reaches latitude 85 … 86: tiles are laid on UTM zones, which cover -80 … 84 only")]
    [InlineData("antarctic", "{\"type\":\"Polygon\",\"coordinates\":[[[0,-89],[1,-89],[1,-81],[0,-89]]]}", "reaches latitude -89 … -81")]
    [InlineData("empty", "{\"type\":\"FeatureCollection\",\"features\":[]}", "holds no Polygon or MultiPolygon geometry")]
    public async Task An_roi_no_utm_zone_can_tile_or_without_polygons_is_refused(string name, string json, string message)
    {
        var file = _dir.File(name + ".geojson");
        File.WriteAllText(file, json);

        var err = await UsageError("roi", "add", name, file, "--store", Store);

        err.Should().Contain(message);
    }

    [Fact]
    public async Task Fetching_a_model_whose_sha256_does_not_match_fails_naming_both_hashes_and_keeps_no_copy()
    {
        var entry = ModelManifest.Default.Get("spectrogram_v0.0.11_2021-07-13");
        var stored = Path.Combine(Store, entry.StoreKey);
        Directory.CreateDirectory(Path.GetDirectoryName(stored)!);
        File.WriteAllText(stored, "not the model the manifest pins");

        var (code, stdout, stderr) = await Cli("run", "ModelFile", "--store", Store, "--cache-dir", Cache);

        code.Should().Be(CliApp.Failure, stderr);
        stdout.Should().Contain("Result: FAILED").And.Contain(entry.StoreKey).And.Contain(entry.OnnxSha256);
        (stdout + stderr).Should().NotContain("   at ");
        FilesWritten().Where(f => f.StartsWith(Cache, StringComparison.Ordinal)).Should().BeEmpty("the refused copy is not kept in the cache");
    }

    /// <summary>
    /// Write permission cannot be taken from root, so as root the program runs as user nobody (setpriv); as any
    /// other user it runs as that user. Either way the folders are made read-only for it.
    /// </summary>
    private static async Task<(int Code, string Stdout, string Stderr)> CliWithoutRootAsync(params string[] args)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var info = IsRoot()
            ? new ProcessStartInfo("setpriv") { ArgumentList = { "--reuid=65534", "--regid=65534", "--clear-groups", dotnet } }
            : new ProcessStartInfo(dotnet);
        info.ArgumentList.Add("exec");
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "detect.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["HOME"] = Path.GetTempPath();
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.WorkingDirectory = Path.GetTempPath();
        return await ChildProcess.RunAsync(info, TimeSpan.FromMinutes(2), "detect " + string.Join(' ', args));
    }

    private static bool IsRoot() => !OperatingSystem.IsWindows() && File.ReadAllText("/proc/self/status")
        .Split('\n').First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1] == "0";

    private string ReadOnlyFolder(string name)
    {
        var path = _dir.File(name);
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute |
                                   UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return path;
    }

    [Fact]
    public async Task A_store_the_user_may_not_write_is_a_usage_error_naming_the_folder_and_its_mode()
    {
        var parent = ReadOnlyFolder("read-only");
        var (code, _, stderr) = await CliWithoutRootAsync("run", "Detect", "--store", Path.Combine(parent, "store"));
        code.Should().Be(CliApp.UsageError, stderr);
        stderr.Should().Contain($"The local store '{Path.Combine(parent, "store")}' cannot be created")
            .And.Contain($"may not create folders in '{parent}' (mode r-xr-xr-x)").And.Contain("Choose a store you can write").And.NotContain("   at ");
        Directory.Exists(Path.Combine(parent, "store")).Should().BeFalse();

        // An existing store folder without write permission: found by run's write check, before anything is planned.
        var store = ReadOnlyFolder("read-only-store");
        var (existingCode, _, existing) = await CliWithoutRootAsync("run", "Detect", "--store", store);
        existingCode.Should().Be(CliApp.UsageError, existing);
        existing.Should().Contain($"Cannot write to the local store '{store}'").And.Contain("(mode r-xr-xr-x)").And.NotContain("   at ");
        Directory.EnumerateFileSystemEntries(store).Should().BeEmpty();
    }

    [Fact]
    public async Task An_unreadable_file_parameter_is_a_usage_error_naming_it()
    {
        var file = _dir.File("heatmap.tif");
        File.WriteAllBytes(file, [0x49, 0x49, 0x2a, 0]);
        File.SetUnixFileMode(file, UnixFileMode.None);

        var (code, _, stderr) = await CliWithoutRootAsync("run", "Contours", "--file", file, "--store", _dir.File("never-made"));

        code.Should().Be(CliApp.UsageError, stderr);
        stderr.Should().Contain($"Contours: --file '{file}' cannot be read").And.Contain("read permission").And.NotContain("   at ");
        Directory.Exists(_dir.File("never-made")).Should().BeFalse("the check comes before the store is opened");
    }

    [Fact]
    public async Task An_unreadable_geojson_file_is_a_usage_error_naming_it()
    {
        var file = _dir.File("secret.geojson");
        File.WriteAllText(file, "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}");
        File.SetUnixFileMode(file, UnixFileMode.None);
        var store = _dir.File("roi-store");
        Directory.CreateDirectory(store);
        File.SetUnixFileMode(store, (UnixFileMode)0b111_111_111); // writable by the unprivileged user

        var (code, _, stderr) = await CliWithoutRootAsync("roi", "add", "secret", file, "--store", store);

        code.Should().Be(CliApp.UsageError, stderr);
        stderr.Should().Contain($"the GeoJSON file '{file}' cannot be read").And.Contain("read permission").And.NotContain("   at ");
        Directory.EnumerateFiles(store, "*", SearchOption.AllDirectories).Should().BeEmpty();
    }
}
