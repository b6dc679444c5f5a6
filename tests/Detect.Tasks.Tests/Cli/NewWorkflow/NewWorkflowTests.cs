using System.Diagnostics;
using System.Xml.Linq;
using Detect.Cli;
using Detect.TestSupport;

namespace Detect.Tasks.Tests.Cli.NewWorkflow;

/// <summary>
/// The README's "Write your own workflow", as a user does it: <c>detect new workflow</c> in a folder outside the
/// repository, build it against the engine package in the local feed (restored from that feed alone: nothing from
/// the internet), run its test, then run its task through <c>detect run --assembly</c> and through its own program.
/// </summary>
public sealed class NewWorkflowTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("detect-workflow-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static async Task<(int Code, string Out, string Err)> Detect(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await DetectApp.Create(stdout, stderr).RunAsync(args);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static async Task<string> Dotnet(string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        var (code, stdout, stderr) = await ChildProcess.RunAsync(info, TimeSpan.FromMinutes(5), "dotnet " + string.Join(' ', args));
        code.Should().Be(0, $"dotnet {string.Join(' ', args)} failed:\n{stdout}\n{stderr}");
        return stdout;
    }

    [Fact]
    public async Task A_new_workflow_outside_the_repository_builds_offline_tests_and_runs_through_detect_and_its_own_program()
    {
        var dir = Path.Combine(_root, "my-tasks");
        dir.Should().NotStartWith(RepositoryRoot.Path, "the project must not pick up the repository's build files");

        var (created, said, err) = await Detect("new", "workflow", dir);
        created.Should().Be(0, err);
        said.Should().Contain("MyTasks");
        File.ReadAllText(Path.Combine(dir, "nuget.config")).Should().Contain(Path.Combine(RepositoryRoot.Path, ".build", "feed"));
        File.ReadAllText(Path.Combine(dir, "README.md")).Should().Contain("detect run --assembly src/MyTasks/bin/Release/net10.0/MyTasks.dll Greet");

        // Only the local feed as source: everything else must already be in the packages folder the repository's restore filled.
        var feed = Path.Combine(RepositoryRoot.Path, ".build", "feed");
        await Dotnet(dir, "restore", "--source", feed);
        await Dotnet(dir, "build", "-c", "Release", "--no-restore");
        var tested = await Dotnet(dir, "test", "-c", "Release", "--no-build");
        tested.Should().MatchRegex(@"Passed:\s+1").And.MatchRegex(@"Failed:\s+0");

        var dll = Path.Combine(dir, "src", "MyTasks", "bin", "Release", "net10.0", "MyTasks.dll");
        var store = Path.Combine(_root, "store");
        var (ran, output, runErr) = await Detect("run", "--assembly", dll, "Greet", "--name", "ci", "--store", store, "--no-history");
        ran.Should().Be(0, runErr);
        output.Should().Contain("Result: success — Greet_ci_");
        File.ReadAllText(Path.Combine(store, "greetings", "ci.txt")).Should().Be("Hello, ci!\n");

        var own = await Dotnet(dir, dll, "run", "Greet", "--name", "own", "--store", store, "--no-history");
        own.Should().Contain("Result: success — Greet_own_");
        File.ReadAllText(Path.Combine(store, "greetings", "own.txt")).Should().Be("Hello, own!\n");
    }

    [Fact]
    public async Task A_folder_that_is_not_empty_is_refused_and_left_as_it_was()
    {
        var dir = Path.Combine(_root, "busy");
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "keep.txt"), "mine");

        var (code, _, err) = await Detect("new", "workflow", dir);

        code.Should().Be(2);
        err.Should().Contain(dir).And.Contain("not empty");
        Directory.EnumerateFileSystemEntries(dir).Should().ContainSingle();
    }

    [Fact]
    public async Task A_name_that_cannot_be_a_namespace_and_a_missing_feed_exit_2()
    {
        var (badName, _, nameErr) = await Detect("new", "workflow", Path.Combine(_root, "x"), "--name", "1st-tasks");
        badName.Should().Be(2);
        nameErr.Should().Contain("'1st-tasks' cannot name a project");

        var (noFeed, _, feedErr) = await Detect("new", "workflow", Path.Combine(_root, "y"), "--feed", Path.Combine(_root, "no-feed"));
        noFeed.Should().Be(2);
        feedErr.Should().Contain("Detect.Engine.").And.Contain("is missing").And.Contain("--feed");
        Directory.Exists(Path.Combine(_root, "y")).Should().BeFalse("nothing is written when the package is missing");
    }

    [Fact]
    public async Task The_test_project_takes_its_package_versions_from_the_repositorys_Directory_Packages_props()
    {
        var central = XDocument.Load(Path.Combine(RepositoryRoot.Path, "Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(p => (string)p.Attribute("Include")!, p => (string)p.Attribute("Version")!);
        var dir = Path.Combine(_root, "versions");

        var (code, _, err) = await Detect("new", "workflow", dir);

        code.Should().Be(0, err);
        var written = XDocument.Load(Path.Combine(dir, "tests", "Versions.Tests", "Versions.Tests.csproj")).Descendants("PackageReference")
            .ToDictionary(p => (string)p.Attribute("Include")!, p => (string)p.Attribute("Version")!);
        written.Keys.Should().BeEquivalentTo("Microsoft.NET.Test.Sdk", "xunit", "xunit.runner.visualstudio");
        foreach (var (package, version) in written)
            version.Should().Be(central[package], $"{package} must restore offline from what the repository restored");
    }

    [Theory]
    [InlineData("my-tasks", "MyTasks")]
    [InlineData("plastic_sites.v2", "PlasticSitesV2")]
    public void The_project_is_named_after_the_folder(string folder, string name) =>
        NewCommand.ProjectName(folder).Should().Be(name);
}
