namespace Detect.Tasks.Tests;

/// <summary>
/// Tests mirror the source: every source folder with code has a test folder of the same path (in the test project
/// that covers its assembly), and every test folder either mirrors a source folder or is a named integration folder.
/// Both test projects are checked here, so one test guards the whole repository.
/// </summary>
public sealed class TestLayoutTests
{
    /// <summary>Which source project each test project mirrors, and under which test folder.</summary>
    private static readonly (string Source, string Tests)[] Mirrors =
    [
        ("engine/Detect.Engine", "tests/Detect.Engine.Tests"),
        ("engine/Detect.Engine.Web", "tests/Detect.Engine.Tests/Web"),
        ("tasks/Detect.Tasks", "tests/Detect.Tasks.Tests"),
        ("tasks/Detect.Cli", "tests/Detect.Tasks.Tests/Cli"),
        ("tasks/Detect.Synthetic", "tests/Detect.Tasks.Tests/Synthetic"),
    ];

    private static readonly string[] TestProjects = ["tests/Detect.Engine.Tests", "tests/Detect.Tasks.Tests"];

    /// <summary>
    /// Source folders whose tests live elsewhere, each with where and why. Empty today: add a folder here only with
    /// the reason, never to make this test pass.
    /// </summary>
    private static readonly IReadOnlyDictionary<string, string> CoveredElsewhere = new Dictionary<string, string>();

    /// <summary>Test folders that span several source folders (end-to-end runs), so they mirror none.</summary>
    private static readonly IReadOnlyDictionary<string, string> IntegrationFolders = new Dictionary<string, string>
    {
        // the IObjectStore contract suite, run against every store (Local, S3 on Swift)
        ["tests/Detect.Engine.Tests/Storage/Contract"] = "every store",
        // the whole Detect pipeline on an S3 store (Swift): engine storage, imagery, inference and CLI together
        ["tests/Detect.Tasks.Tests/S3Pipeline"] = "Detect on S3",
        // the Detect graph exported to CWL by the engine and run by cwltool and Toil
        ["tests/Detect.Tasks.Tests/Export"] = "Detect through CWL",
    };

    [Fact]
    public void Every_source_folder_has_a_test_folder_and_every_test_folder_mirrors_a_source_folder_or_is_an_integration_folder()
    {
        var (sources, tests) = Scan(RepositoryRoot.Path);

        var (untested, unmatched) = Compare(sources, tests, CoveredElsewhere.Keys, IntegrationFolders.Keys);

        using var _ = new FluentAssertions.Execution.AssertionScope();
        untested.Should().BeEmpty("each source folder needs a test folder of the same path, or an entry with its reason in " +
                                  "CoveredElsewhere; these mirrored test folders are missing");
        unmatched.Should().BeEmpty("a test folder mirrors a source folder (move its files to the folder of what they test) " +
                                   "or is listed in IntegrationFolders; these are neither");
    }

    [Fact]
    public void The_check_names_a_source_folder_without_tests_and_a_test_folder_that_mirrors_nothing()
    {
        string[] sources = ["tests/Detect.Engine.Tests/Cli", "tests/Detect.Engine.Tests/Logging", "tests/Detect.Engine.Tests/Storage/S3"];
        string[] tests = ["tests/Detect.Engine.Tests/Cli", "tests/Detect.Engine.Tests/S3", "tests/Detect.Engine.Tests/Storage/Contract"];

        var (untested, unmatched) = Compare(sources, tests, [], ["tests/Detect.Engine.Tests/Storage/Contract"]);

        untested.Should().Equal("tests/Detect.Engine.Tests/Logging", "tests/Detect.Engine.Tests/Storage/S3");
        unmatched.Should().Equal("tests/Detect.Engine.Tests/S3");
        Compare(sources, tests, ["tests/Detect.Engine.Tests/Logging"], []).Untested.Should().Equal("tests/Detect.Engine.Tests/Storage/S3");
    }

    [Fact]
    public void The_scan_sees_the_repositorys_folders()
    {
        var (sources, tests) = Scan(RepositoryRoot.Path);

        sources.Should().Contain(["tests/Detect.Engine.Tests/Scheduling/Execution", "tests/Detect.Tasks.Tests/Native/Gdal",
            "tests/Detect.Tasks.Tests/Cli/NewWorkflow", "tests/Detect.Engine.Tests/Web"], "source folders are named by their mirrored test path");
        sources.Should().NotContain(s => s.Contains("/bin") || s.Contains("/obj") || s.Contains("wwwroot") || s.EndsWith("/Analysis"),
            "only folders holding C# files count (build outputs and folders of folders do not)");
        tests.Should().Contain(["tests/Detect.Engine.Tests/Storage/Contract", "tests/Detect.Tasks.Tests/Analysis/Blobs"]);
    }

    /// <summary>
    /// The mirrored test path of every source folder holding .cs files, and every test folder holding .cs files
    /// (both as repository-relative paths with '/').
    /// </summary>
    private static (IReadOnlyList<string> Sources, IReadOnlyList<string> Tests) Scan(string root)
    {
        var sources = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (source, tests) in Mirrors)
            foreach (var folder in CodeFolders(Path.Combine(root, source)))
                sources.Add(Join(tests, folder));
        var testFolders = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var project in TestProjects)
            foreach (var folder in CodeFolders(Path.Combine(root, project)))
                testFolders.Add(Join(project, folder));
        // a test project's root holds helpers shared by its folders (and Detect.Tasks' one root file is tested throughout)
        sources.ExceptWith(TestProjects);
        testFolders.ExceptWith(TestProjects);
        return (sources.ToList(), testFolders.ToList());
    }

    /// <summary>Source folders with no test folder (and not covered elsewhere); test folders mirroring nothing (and not integration).</summary>
    private static (IReadOnlyList<string> Untested, IReadOnlyList<string> Unmatched) Compare(
        IReadOnlyCollection<string> sources, IReadOnlyCollection<string> tests, IEnumerable<string> coveredElsewhere, IEnumerable<string> integration)
    {
        var untested = sources.Except(tests, StringComparer.Ordinal).Except(coveredElsewhere, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var unmatched = tests.Except(sources, StringComparer.Ordinal).Except(integration, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return (untested, unmatched);
    }

    /// <summary>Folders below <paramref name="project"/> (relative, '/'-separated, "" for itself) that hold .cs files, build outputs left out.</summary>
    private static IEnumerable<string> CodeFolders(string project) =>
        Directory.EnumerateFiles(project, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(project, Path.GetDirectoryName(f)!).Replace('\\', '/'))
            .Where(d => d.Split('/')[0] is not ("bin" or "obj"))
            .Select(d => d == "." ? "" : d)
            .Distinct(StringComparer.Ordinal);

    private static string Join(string tests, string folder) => folder.Length == 0 ? tests : tests + "/" + folder;
}
